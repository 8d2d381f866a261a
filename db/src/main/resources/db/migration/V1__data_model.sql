-- Todo API data model.
--
-- Tenant-keyed: every tenant table carries user_id, and its primary key, unique keys and
-- foreign keys lead with user_id. A task can therefore never reference another user's tag,
-- and the schema can be distributed by user_id (Citus: create_distributed_table(..., 'user_id'))
-- without change. users is the only table keyed by id alone (it is the tenant itself).
--
-- Statements the jOOQ DDL parser does not understand (functional/partial unique indexes,
-- regex checks) sit between "[jooq ignore start/stop]" markers; CatalogMatchesJooqModelTest
-- checks the live catalog against the generated model so the two cannot drift.

CREATE TABLE users (
    id            text        NOT NULL,
    email         text        NOT NULL,
    -- NULL for users of an external identity provider (they never log in here).
    password_hash text,
    name          text,
    -- Issuer of an external identity provider; NULL for accounts registered here.
    issuer        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_id_length CHECK (char_length(id) BETWEEN 1 AND 255),
    CONSTRAINT users_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT users_name_length CHECK (char_length(name) <= 100),
    CONSTRAINT users_credentials CHECK (issuer IS NOT NULL OR password_hash IS NOT NULL)
);

-- [jooq ignore start]
-- Emails of own accounts are unique case-insensitively; external identities are keyed by subject.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email)) WHERE issuer IS NULL;
-- [jooq ignore stop]

CREATE TABLE tasks (
    user_id         text        NOT NULL,
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    title           text        NOT NULL,
    description     text,
    completed       boolean     NOT NULL DEFAULT false,
    completed_at    timestamptz,
    priority        text        NOT NULL DEFAULT 'medium',
    due_date        timestamptz,
    recurrence_rule text,
    version         integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tasks_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT tasks_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT tasks_title_length CHECK (char_length(btrim(title)) BETWEEN 1 AND 200 AND char_length(title) <= 200),
    CONSTRAINT tasks_description_length CHECK (char_length(description) <= 1000),
    CONSTRAINT tasks_priority_values CHECK (priority IN ('low', 'medium', 'high')),
    CONSTRAINT tasks_recurrence_rule_length CHECK (char_length(recurrence_rule) BETWEEN 1 AND 500),
    CONSTRAINT tasks_completed_at_consistent CHECK (completed = (completed_at IS NOT NULL)),
    CONSTRAINT tasks_version_positive CHECK (version >= 1)
);

-- Access paths of the task list: newest first (default), by status, priority, due date, and sync.
CREATE INDEX tasks_user_created_idx ON tasks (user_id, created_at DESC, id DESC);
CREATE INDEX tasks_user_completed_created_idx ON tasks (user_id, completed, created_at DESC, id DESC);
CREATE INDEX tasks_user_priority_created_idx ON tasks (user_id, priority, created_at DESC, id DESC);
CREATE INDEX tasks_user_due_idx ON tasks (user_id, due_date, id);
CREATE INDEX tasks_user_updated_idx ON tasks (user_id, updated_at, id);

CREATE TABLE tags (
    user_id    text        NOT NULL,
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    name       text        NOT NULL,
    color      text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tags_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT tags_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT tags_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 50 AND char_length(name) <= 50)
);

-- [jooq ignore start]
-- Tag names are unique per user, case-insensitively.
CREATE UNIQUE INDEX tags_user_name_lower_key ON tags (user_id, lower(name));
ALTER TABLE tags ADD CONSTRAINT tags_color_format CHECK (color ~ '^#[0-9a-fA-F]{6}$');
-- [jooq ignore stop]

CREATE TABLE task_tags (
    user_id text NOT NULL,
    task_id uuid NOT NULL,
    tag_id  uuid NOT NULL,
    CONSTRAINT task_tags_pkey PRIMARY KEY (user_id, task_id, tag_id),
    CONSTRAINT task_tags_task_fkey FOREIGN KEY (user_id, task_id) REFERENCES tasks (user_id, id) ON DELETE CASCADE,
    CONSTRAINT task_tags_tag_fkey FOREIGN KEY (user_id, tag_id) REFERENCES tags (user_id, id) ON DELETE CASCADE
);

CREATE INDEX task_tags_tag_idx ON task_tags (user_id, tag_id);

-- Refresh tokens are opaque to the client and stored only as a SHA-256 hash. A family is the
-- chain of rotations from one login; presenting a rotated token revokes the whole family.
CREATE TABLE refresh_tokens (
    user_id    text        NOT NULL,
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    family_id  uuid        NOT NULL,
    token_hash bytea       NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    rotated_at timestamptz,
    revoked_at timestamptz,
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT refresh_tokens_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT refresh_tokens_hash_key UNIQUE (user_id, token_hash),
    CONSTRAINT refresh_tokens_hash_length CHECK (octet_length(token_hash) = 32)
);

-- The client presents only the token, so it is found by hash first.
CREATE INDEX refresh_tokens_hash_idx ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (user_id, family_id);

-- Responses of creates made with an Idempotency-Key, replayed on retry (kept at least 24 h).
CREATE TABLE idempotency_keys (
    user_id         text        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    bytea       NOT NULL,
    response_status integer     NOT NULL,
    response_body   text        NOT NULL,
    resource_id     uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (user_id, idempotency_key),
    CONSTRAINT idempotency_keys_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT idempotency_keys_key_length CHECK (char_length(idempotency_key) BETWEEN 1 AND 255)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
