-- The global uniqueness of local accounts' emails moves out of users into a table of its own, keyed by the unique
-- value: on Citus, users is distributed by id and can carry no unique key without it, while user_emails is
-- distributed by email_lower, so a sign-in by email is a single-shard lookup. Written in the registering
-- transaction, read at sign-in, deleted with the account (no foreign key: the two tables live on different shards).
CREATE TABLE user_emails (
    email_lower text NOT NULL,
    user_id     text NOT NULL,
    CONSTRAINT user_emails_pkey PRIMARY KEY (email_lower),
    CONSTRAINT user_emails_lowercase CHECK (email_lower = lower(email_lower))
);

-- Every local account keeps its email (external identities are keyed by their subject, as before).
INSERT INTO user_emails (email_lower, user_id)
SELECT lower(email), id FROM users WHERE issuer IS NULL;

-- [jooq ignore start]
DROP INDEX users_email_lower_key;
-- [jooq ignore stop]
