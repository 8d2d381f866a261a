-- State of the authentication rate limits when they are kept in PostgreSQL (AUTH_RATE_LIMIT_STORE=postgres),
-- so that the limit holds across several server instances. Managed by bucket4j; keyed by "<endpoint>:<client ip>".
-- Not tenant data: there is no user yet when register or login is limited.
CREATE TABLE rate_limit_buckets (
    id         text   NOT NULL,
    state      bytea,
    expires_at bigint,
    CONSTRAINT rate_limit_buckets_pkey PRIMARY KEY (id)
);

CREATE INDEX rate_limit_buckets_expires_idx ON rate_limit_buckets (expires_at);
