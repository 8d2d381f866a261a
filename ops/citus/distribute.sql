-- Distributes the Todo API schema on a Citus coordinator. See ops/citus/README.md.
--
-- Run it on the coordinator, after Flyway has migrated the database there and the workers have been added
-- (citus_add_node), before the API takes traffic:
--
--     psql "postgresql://postgres@coordinator:5432/todo" -v ON_ERROR_STOP=1 -f ops/citus/distribute.sql
--
-- Safe to run again: a table that is already distributed (or a reference table) is left as it is. A migration that
-- adds a table adds its line here; running the whole script again then distributes just that table.
--
-- The layout:
--   users                  distributed by id, 32 shards: the tenant; every other tenant table is colocated with it
--   lists (V5), tasks, tags,
--   task_tags, refresh_tokens,
--   idempotency_keys       distributed by user_id, colocated with users: shard n of each holds the same users, so
--                          joins, foreign keys and ON DELETE CASCADE between them stay inside one shard group
--   user_emails            (migration V4) distributed by email_lower, not colocated: the global uniqueness of an
--                          email; login finds the user id there with a one-shard lookup
--   webhook_endpoints,
--   webhook_messages,
--   webhook_deliveries     (V12) distributed by user_id, colocated with users, like the other tenant tables
--   rate_limit_buckets     reference table (a copy on every node): not tenant data, keyed by endpoint and client IP
--   scheduled_tasks        (V12, db-scheduler's) reference table: global, one row per webhook endpoint with work
--
-- users goes first: a distributed table may have a foreign key only to a colocated distributed table or to a
-- reference table, so the tenant tables' foreign keys to users(id) need users distributed already.

\set ON_ERROR_STOP on
\set QUIET on

-- The number of shards of users and of everything colocated with it. Fixed once users is distributed: changing it
-- later means alter_distributed_table('users', shard_count => n, cascade_to_colocated => true), which rewrites
-- every colocated table. 32 (the Citus default) leaves room for up to 32 worker nodes.
SET citus.shard_count = 32;
-- Citus's NOTICEs (copying data, truncate cascades) are not news here; warnings and errors still show.
SET client_min_messages = warning;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'the citus extension is not installed in database %: CREATE EXTENSION citus first', current_database();
    END IF;
    IF to_regclass('public.users') IS NULL THEN
        RAISE EXCEPTION 'no table users: run the Flyway migrations against the coordinator first';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_dist_node WHERE noderole = 'primary' AND shouldhaveshards) THEN
        RAISE EXCEPTION 'no node takes shards: add the workers first (SELECT citus_add_node(host, port))';
    END IF;
END
$$;

-- Helpers of this session only (pg_temp: nothing is left in the database). distribute() and reference() skip a
-- table that Citus manages already.
-- (Citus would try, and warn, to create them on the workers: DDL propagation is off while they are created.)
SET citus.enable_ddl_propagation = off;

CREATE FUNCTION pg_temp.distribute(name text, by_column text, colocate_with text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    t regclass := name::regclass;
BEGIN
    IF EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t) THEN
        RETURN format('%s: already distributed (by %s)', t,
                      (SELECT column_to_column_name(t, partkey) FROM pg_dist_partition WHERE logicalrelid = t));
    END IF;
    PERFORM create_distributed_table(t, by_column, colocate_with => colocate_with);
    RETURN format('%s: distributed by %s, %s', t, by_column, CASE colocate_with
        WHEN 'default' THEN 'in a colocation group of its own' WHEN 'none' THEN 'not colocated with any other table'
        ELSE 'colocated with ' || colocate_with END);
END
$$;

CREATE FUNCTION pg_temp.reference(name text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    t regclass := name::regclass;
BEGIN
    IF EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t) THEN
        RETURN format('%s: already a reference table', t);
    END IF;
    PERFORM create_reference_table(t);
    RETURN format('%s: reference table', t);
END
$$;

RESET citus.enable_ddl_propagation;

\pset tuples_only on
\pset format unaligned

-- The tenant. Fails while users has a unique index that does not contain id (before V4: users_email_lower_key on
-- lower(email); Citus: "cannot create constraint on "users"" ... "Distributed relations cannot have UNIQUE, EXCLUDE,
-- or PRIMARY KEY constraints that do not include the partition column").
SELECT pg_temp.distribute('users', 'id', 'default');

-- The tenant tables, by user_id, in the shard groups of users. Referenced tables before the tables that reference
-- them (tasks references lists; task_tags references tasks and tags).
SELECT pg_temp.distribute('lists', 'user_id', 'users');
SELECT pg_temp.distribute('tasks', 'user_id', 'users');
SELECT pg_temp.distribute('tags', 'user_id', 'users');
SELECT pg_temp.distribute('task_tags', 'user_id', 'users');
SELECT pg_temp.distribute('refresh_tokens', 'user_id', 'users');
SELECT pg_temp.distribute('idempotency_keys', 'user_id', 'users');
-- The change feed (migration V9): skipped while the tables don't exist.
SELECT CASE WHEN to_regclass('public.change_counters') IS NULL THEN 'change_counters: no such table (V9 not applied), skipped'
            ELSE pg_temp.distribute('change_counters', 'user_id', 'users') END;
SELECT CASE WHEN to_regclass('public.batch_commands') IS NULL THEN 'batch_commands: no such table (V10 not applied), skipped'
            ELSE pg_temp.distribute('batch_commands', 'user_id', 'users') END;
SELECT CASE WHEN to_regclass('public.trash') IS NULL THEN 'trash: no such table (V11 not applied), skipped'
            ELSE pg_temp.distribute('trash', 'user_id', 'users') END;
SELECT CASE WHEN to_regclass('public.tombstones') IS NULL THEN 'tombstones: no such table (V9 not applied), skipped'
            ELSE pg_temp.distribute('tombstones', 'user_id', 'users') END;

-- Webhooks (migration V12): endpoints, their events and the delivery log, by user_id like every tenant table
-- (messages reference endpoints, deliveries reference messages: in that order). Skipped while V12 is not applied.
SELECT CASE WHEN to_regclass('public.webhook_endpoints') IS NULL THEN 'webhook_endpoints: no such table (V12 not applied), skipped'
            ELSE pg_temp.distribute('webhook_endpoints', 'user_id', 'users') END;
SELECT CASE WHEN to_regclass('public.webhook_messages') IS NULL THEN 'webhook_messages: no such table (V12 not applied), skipped'
            ELSE pg_temp.distribute('webhook_messages', 'user_id', 'users') END;
SELECT CASE WHEN to_regclass('public.webhook_deliveries') IS NULL THEN 'webhook_deliveries: no such table (V12 not applied), skipped'
            ELSE pg_temp.distribute('webhook_deliveries', 'user_id', 'users') END;

-- Not tenant data: every node gets the whole table (bucket4j's SELECT ... FOR UPDATE works on it).
SELECT pg_temp.reference('rate_limit_buckets');
-- db-scheduler's table (V12): global, one row per webhook endpoint with work to do. A reference table rather than a
-- coordinator-local one, because a user's write transaction (routed to that user's worker) inserts into it before
-- it commits: Citus runs such a transaction across the worker and the reference table's placements (2PC). Not yet
-- drilled on Citus (ops/citus/README.md): db-scheduler's polling is plain UPDATE/SELECT by primary key and time.
SELECT CASE WHEN to_regclass('public.scheduled_tasks') IS NULL THEN 'scheduled_tasks: no such table (V12 not applied), skipped'
            ELSE pg_temp.reference('scheduled_tasks') END;

-- Global uniqueness of emails (migration V4): keyed by the lower-cased address and distributed by it, in a
-- colocation group of its own (user_id is not its key). It must not have a foreign key to users: Citus allows
-- foreign keys only to colocated tables and reference tables; the application keeps the two in step in one
-- transaction. Skipped while the table does not exist.
DO $$
DECLARE
    t regclass := to_regclass('public.user_emails');
    fks text;
BEGIN
    IF t IS NOT NULL AND NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = t) THEN
        SELECT string_agg(conname, ', ') INTO fks FROM pg_constraint WHERE conrelid = t AND contype = 'f';
        IF fks IS NOT NULL THEN
            RAISE EXCEPTION 'user_emails has a foreign key (%): Citus cannot distribute it by email_lower with one', fks
                USING HINT = 'drop the foreign key in a migration; the application keeps user_emails in step with users';
        END IF;
    END IF;
END
$$;
SELECT CASE WHEN to_regclass('public.user_emails') IS NULL
            THEN 'user_emails: no such table (migration V4 not applied), skipped'
            ELSE pg_temp.distribute('user_emails', 'email_lower', 'none') END;

-- One-time stream tickets (migration V14): keyed by the ticket's hash and distributed by it, like user_emails.
SELECT CASE WHEN to_regclass('public.stream_tickets') IS NULL
            THEN 'stream_tickets: no such table (migration V14 not applied), skipped'
            ELSE pg_temp.distribute('stream_tickets', 'ticket_hash', 'none') END;

-- create_distributed_table and create_reference_table copy the rows already there into the shards and leave the
-- originals, invisible, in the coordinator's own table: truncate those (a freshly migrated database has none; the
-- shards are not touched).
SELECT count(truncate_local_data_after_distributing_table(logicalrelid))
       || ' table(s) with rows left on the coordinator after distribution: truncated there'
  FROM pg_dist_partition
 WHERE (partmethod = 'h' OR repmodel = 't') AND pg_relation_size(logicalrelid) > 0;

\pset tuples_only off
\pset format aligned
\set QUIET off
SELECT table_name, citus_table_type, distribution_column, colocation_id, shard_count
  FROM citus_tables ORDER BY colocation_id, table_name;
