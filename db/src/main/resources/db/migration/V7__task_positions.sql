-- Manual order of tasks: a position is an order key (dev.todoapi.order.OrderKeys) among the task's siblings (the
-- tasks of the same list and parent), unique among them, compared byte-wise.
ALTER TABLE tasks ADD COLUMN position text;

-- [jooq ignore start]
ALTER TABLE tasks ALTER COLUMN position TYPE text COLLATE "C";
-- [jooq ignore stop]

-- Existing tasks keep the order they showed in (newest first): the n-th newest of its siblings gets the n-th key of
-- OrderKeys' integer sequence (a0 .. az, b00 .. bzz, c000 .., d0000 ..), the keys a run of appends would produce.
-- [jooq ignore start]
UPDATE tasks SET position = ranked.key
FROM (
    SELECT user_id, id,
           CASE WHEN n < 62 THEN 'a' || substr(d, n + 1, 1)
                WHEN n < 62 + 3844 THEN 'b' || substr(d, (n - 62) / 62 + 1, 1) || substr(d, (n - 62) % 62 + 1, 1)
                WHEN n < 62 + 3844 + 238328 THEN 'c' || substr(d, (n - 3906) / 3844 + 1, 1)
                                                     || substr(d, (n - 3906) / 62 % 62 + 1, 1) || substr(d, (n - 3906) % 62 + 1, 1)
                ELSE 'd' || substr(d, (n - 242234) / 238328 % 62 + 1, 1) || substr(d, (n - 242234) / 3844 % 62 + 1, 1)
                         || substr(d, (n - 242234) / 62 % 62 + 1, 1) || substr(d, (n - 242234) % 62 + 1, 1)
           END AS key
    FROM (SELECT user_id, id, (row_number() OVER (PARTITION BY user_id, list_id, parent_id
                                                 ORDER BY created_at DESC, id DESC) - 1)::int AS n,
                 '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz' AS d
          FROM tasks) AS numbered
) AS ranked
WHERE ranked.user_id = tasks.user_id AND ranked.id = tasks.id;
-- [jooq ignore stop]

ALTER TABLE tasks ALTER COLUMN position SET NOT NULL;
ALTER TABLE tasks ADD CONSTRAINT tasks_position_length CHECK (char_length(position) BETWEEN 1 AND 200);

-- Siblings never share a position. jOOQ's model sees this unique key; PostgreSQL gets it with NULLS NOT DISTINCT
-- below, so that top-level tasks (parent_id NULL) are siblings too.
ALTER TABLE tasks ADD CONSTRAINT tasks_position_key UNIQUE (user_id, list_id, parent_id, position);
-- [jooq ignore start]
ALTER TABLE tasks DROP CONSTRAINT tasks_position_key;
ALTER TABLE tasks ADD CONSTRAINT tasks_position_key UNIQUE NULLS NOT DISTINCT (user_id, list_id, parent_id, position);
-- [jooq ignore stop]
