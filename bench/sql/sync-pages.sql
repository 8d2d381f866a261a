-- For pgbench sync_page.sql: where each page of each bench user's full sync starts (run.sh makes it before pgbench
-- runs and drops it after). Page k > 0 starts after the feed's entry number k * :limit, in the server's feed order
-- (change_seq, kind, id), as the sync_token of page k - 1 names it; page 0 is the request without a token.
-- tag_ids: the user's tags, which the seeded tasks of every page carry (the statement looking their names up).
-- psql variables: users, limit.
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_sync_pages;
CREATE TABLE bench_sync_pages AS
SELECT u, k, seq, kind, id,
       array(SELECT g.id FROM tags g WHERE g.user_id = 'bench-user-' || u ORDER BY g.id) AS tag_ids
FROM (SELECT u, (r / :limit)::int AS k, seq, kind, id
      FROM (SELECT u, e.seq, e.kind, e.id, row_number() OVER w AS r, count(*) OVER (PARTITION BY u) AS n
            FROM generate_series(1, :users) AS u
            CROSS JOIN LATERAL (SELECT change_seq AS seq, 'list' AS kind, id FROM lists WHERE user_id = 'bench-user-' || u
                                UNION ALL
                                SELECT change_seq, 'tag', id FROM tags WHERE user_id = 'bench-user-' || u
                                UNION ALL
                                SELECT change_seq, 'task', id FROM tasks WHERE user_id = 'bench-user-' || u) AS e
            WINDOW w AS (PARTITION BY u ORDER BY e.seq, e.kind COLLATE "C", e.id)) AS x
      WHERE r % :limit = 0 AND r < n
      UNION ALL
      SELECT u, 0, NULL, NULL, NULL FROM generate_series(1, :users) AS u) AS p;
ALTER TABLE bench_sync_pages ADD PRIMARY KEY (u, k);
ANALYZE bench_sync_pages;
-- The pages' count (the same for every seeded user), the lists and tags of the first page, and whether every page
-- but the first starts after a task (sync_page.sql assumes it).
SELECT (SELECT max(k) FROM bench_sync_pages WHERE u = 1),
       (SELECT count(*) FROM lists WHERE user_id = 'bench-user-1') + (SELECT count(*) FROM tags WHERE user_id = 'bench-user-1'),
       (SELECT bool_and(kind = 'task') FROM bench_sync_pages WHERE k > 0);
