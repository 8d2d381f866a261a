package dev.todoapi.shard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Delete;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Query;
import org.jooq.QueryPart;
import org.jooq.Row;
import org.jooq.SQLDialect;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.Update;
import org.jooq.VisitContext;
import org.jooq.VisitListener;
import org.jooq.conf.ParseUnknownFunctions;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.jooq.impl.DefaultConfiguration;
import org.jooq.impl.QOM;

/**
 * The single-shard rule of the schema (distributed on Citus by user): in every statement, each reference to a
 * distributed table has its distribution column compared with a bind value in its own query block ({@code
 * "tasks"."user_id" = ?} in the WHERE or a JOIN's ON, in a subquery for the subquery's tables), or, for an
 * INSERT, a bind value in that column of every row. Then Citus can route the statement to one shard; a
 * correlation such as {@code task_tags.user_id = tasks.user_id} does not count, because the planner cannot
 * prove one shard from it (FOR UPDATE is refused outright).
 *
 * <p>Statements are read with jOOQ's parser and walked through its query object model while being rendered
 * again (a {@link VisitListener} sees every query part, in scope), not matched with regular expressions.
 */
public final class ShardKeyRule {

    /** Distributed tables and their distribution column. Reference tables (rate_limit_buckets) are not here. */
    public static final Map<String, String> DISTRIBUTED = Map.ofEntries(
            Map.entry("users", "id"),
            Map.entry("user_emails", "email_lower"),
            Map.entry("stream_tickets", "ticket_hash"),
            Map.entry("lists", "user_id"),
            Map.entry("tasks", "user_id"),
            Map.entry("tags", "user_id"),
            Map.entry("task_tags", "user_id"),
            Map.entry("refresh_tokens", "user_id"),
            Map.entry("idempotency_keys", "user_id"),
            Map.entry("change_counters", "user_id"),
            Map.entry("tombstones", "user_id"),
            Map.entry("batch_commands", "user_id"),
            Map.entry("trash", "user_id"),
            Map.entry("webhook_endpoints", "user_id"),
            Map.entry("webhook_messages", "user_id"),
            Map.entry("webhook_deliveries", "user_id"));

    private static final DSLContext PARSER = DSL.using(new DefaultConfiguration().set(SQLDialect.POSTGRES)
            .set(new Settings().withParseUnknownFunctions(ParseUnknownFunctions.IGNORE)));

    private ShardKeyRule() {}

    /** What is wrong with this statement, or an empty list when each distributed table in it is pinned to a shard. */
    public static List<String> violations(String sql) {
        Query query;
        try {
            query = PARSER.parser().parseQuery(sql);
        } catch (RuntimeException unparseable) {
            return List.of("jOOQ cannot parse it (" + unparseable.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (query == null) {
            return List.of();
        }
        Walker walker = new Walker();
        DSL.using(new DefaultConfiguration().set(SQLDialect.POSTGRES).set(walker)).render(query);
        return List.copyOf(walker.violations);
    }

    /** The tables of one query block and the distribution columns it compares with bind values. */
    private static final class Scope {
        final QueryPart owner;
        final Map<String, String> tables = new HashMap<>(); // alias (or name) -> table name
        final Set<String> pinned = new LinkedHashSet<>();   // "qualifier.column" or ".column" when unqualified
        int fieldDepth;                                      // > 0: inside a column reference or expression
        final Deque<QueryPart> aliases = new ArrayDeque<>(); // aliased tables being visited (their inner table is the same reference)

        Scope(QueryPart owner) {
            this.owner = owner;
        }
    }

    private static final class Walker implements VisitListener {
        final Set<String> violations = new LinkedHashSet<>(); // a part may be visited more than once
        final Deque<Scope> scopes = new ArrayDeque<>();

        @Override
        public void visitStart(VisitContext context) {
            QueryPart part = context.queryPart();
            if (part instanceof Select<?> || part instanceof Update<?> || part instanceof Delete<?> || part instanceof QOM.Insert<?>) {
                scopes.push(new Scope(part));
                if (part instanceof QOM.Insert<?> insert) {
                    insert(insert);
                }
                return;
            }
            Scope scope = scopes.peek();
            if (scope == null) {
                return;
            }
            if (part instanceof Field<?>) {
                scope.fieldDepth++; // a table seen inside a field (tasks.user_id) is no table reference
            }
            if (part instanceof QOM.TableAlias<?> alias && scope.fieldDepth == 0) {
                scope.aliases.push(part);
                scope.tables.put(lower(alias.$alias().last()), lower(alias.$table().getName()));
            } else if (part instanceof Table<?> table && !(part instanceof QOM.TableAlias<?>)) {
                if (scope.aliases.isEmpty() && scope.fieldDepth == 0 && DISTRIBUTED.containsKey(lower(table.getName()))) {
                    scope.tables.putIfAbsent(lower(table.getName()), lower(table.getName()));
                }
            } else if (part instanceof QOM.Eq<?> eq) {
                pin(scope, eq.$arg1(), eq.$arg2());
                pin(scope, eq.$arg2(), eq.$arg1());
            }
        }

        @Override
        public void visitEnd(VisitContext context) {
            QueryPart part = context.queryPart();
            Scope scope = scopes.peek();
            if (scope != null && !scope.aliases.isEmpty() && scope.aliases.peek() == part) {
                scope.aliases.pop();
            }
            if (scope != null && scope.owner == part) {
                scopes.pop();
                check(scope);
            } else if (scope != null && part instanceof Field<?>) {
                scope.fieldDepth--;
            }
        }

        private void insert(QOM.Insert<?> insert) {
            String table = lower(insert.$into().getName());
            String column = DISTRIBUTED.get(table);
            if (column == null) {
                return;
            }
            int index = -1;
            List<? extends Field<?>> columns = insert.$columns();
            for (int i = 0; i < columns.size(); i++) {
                if (lower(columns.get(i).getName()).equals(column)) {
                    index = i;
                }
            }
            boolean bound = index >= 0 && insert.$select() == null && !insert.$values().isEmpty();
            for (Row row : insert.$values()) {
                bound &= index < row.size() && isBind(row.field(index));
            }
            if (!bound) {
                violations.add("INSERT INTO " + table + " without a bind value for " + column + " in every row");
            }
        }

        private static void pin(Scope scope, Field<?> column, Field<?> value) {
            if (!isBind(value) || column instanceof Param<?>) {
                return;
            }
            String[] name = column.getQualifiedName().getName();
            String qualifier = name.length >= 2 ? lower(name[name.length - 2]) : "";
            scope.pinned.add(qualifier + "." + lower(name[name.length - 1]));
        }

        private void check(Scope scope) {
            if (scope.owner instanceof QOM.Insert<?>) {
                return; // checked on its rows
            }
            for (Map.Entry<String, String> reference : scope.tables.entrySet()) {
                String column = DISTRIBUTED.get(reference.getValue());
                if (column == null) {
                    continue;
                }
                boolean pinned = scope.pinned.contains(reference.getKey() + "." + column)
                        || (scope.tables.size() == 1 && scope.pinned.contains("." + column));
                if (!pinned) {
                    violations.add(reference.getValue() + (reference.getKey().equals(reference.getValue()) ? "" : " " + reference.getKey())
                            + " has no " + reference.getKey() + "." + column + " = <bind value> in its query block");
                }
            }
        }

        private static boolean isBind(Field<?> field) {
            return field instanceof Param<?> param && !param.isInline();
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
