-- Task lists. Every user has exactly one default list (the Inbox), created with the user; every task is in a list.
-- Tenant-keyed like the rest: lists keyed (user_id, id), tasks reference (user_id, list_id), so nothing can point
-- across users, and on Citus lists are distributed by user_id, colocated with users.
CREATE TABLE lists (
    user_id    text        NOT NULL,
    id         uuid        NOT NULL DEFAULT gen_random_uuid(),
    name       text        NOT NULL,
    color      text,
    position   text        NOT NULL,
    is_default boolean     NOT NULL DEFAULT false,
    version    integer     NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lists_pkey PRIMARY KEY (user_id, id),
    CONSTRAINT lists_user_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    -- Manual order: a position is an order key between its neighbours (dev.todoapi.order.OrderKeys); two lists of
    -- a user never share one, so two concurrent moves into the same gap can't both succeed with the same key.
    CONSTRAINT lists_position_key UNIQUE (user_id, position),
    CONSTRAINT lists_name_length CHECK (char_length(btrim(name)) BETWEEN 1 AND 100 AND char_length(name) <= 100),
    CONSTRAINT lists_position_length CHECK (char_length(position) BETWEEN 1 AND 200),
    CONSTRAINT lists_version_positive CHECK (version >= 1)
);

-- [jooq ignore start]
-- Order keys compare byte by byte (as Java's String.compareTo on their ASCII characters), not by a locale.
ALTER TABLE lists ALTER COLUMN position TYPE text COLLATE "C";
ALTER TABLE lists ADD CONSTRAINT lists_color_format CHECK (color ~ '^#[0-9a-fA-F]{6}$');
-- One default list per user.
CREATE UNIQUE INDEX lists_one_default_key ON lists (user_id) WHERE is_default;
-- On Citus, once users is distributed (ops/citus), the new tenant table is distributed with it; the Citus catalog is
-- named only inside EXECUTE, so plain PostgreSQL never plans a reference to it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus') THEN
        EXECUTE $sql$
            SELECT create_distributed_table('lists', 'user_id', colocate_with => 'users')
             WHERE EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'users'::regclass)
        $sql$;
    END IF;
END $$;
-- [jooq ignore stop]

-- Every existing user gets an Inbox (its first position), holding all of their tasks.
INSERT INTO lists (user_id, name, position, is_default)
SELECT id, 'Inbox', 'a0', true FROM users;

ALTER TABLE tasks ADD COLUMN list_id uuid;
UPDATE tasks SET list_id = lists.id FROM lists WHERE lists.user_id = tasks.user_id AND lists.is_default;
ALTER TABLE tasks ALTER COLUMN list_id SET NOT NULL;
ALTER TABLE tasks ADD CONSTRAINT tasks_list_fkey FOREIGN KEY (user_id, list_id) REFERENCES lists (user_id, id) ON DELETE CASCADE;

-- A list's tasks, newest first (the list filter of GET /api/v1/tasks), and the counts of a list.
CREATE INDEX tasks_user_list_created_idx ON tasks (user_id, list_id, created_at DESC, id DESC);
