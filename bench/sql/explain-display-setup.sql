-- Adds, for the first 5 bench users of a seeded bench database (bench/sql/seed.sql), two lists of 10,000 tasks each
-- (bench/sql/tree-list.sql with 2,500 top-level tasks): "Big" (three in ten top-level subtrees completed) and
-- "Archive" (nine in ten completed: its pending view is 250 tasks). For bench/sql/explain-display.sql
-- (bench/results/2026-12-03-display-order.md).
-- psql variables: tasks and base, as given to seed.sql.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;
\set tree_users 5
\set tree_top 2500
\set tree_key big
\set tree_name Big
\set tree_list_position a2
\set tree_done_tenths 3
\ir tree-list.sql
\set tree_key archive
\set tree_name Archive
\set tree_list_position a3
\set tree_done_tenths 9
\ir tree-list.sql
COMMIT;
VACUUM (ANALYZE) tasks;
VACUUM (ANALYZE) task_tags;
