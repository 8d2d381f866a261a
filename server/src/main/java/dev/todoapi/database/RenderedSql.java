package dev.todoapi.database;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Select;
import org.springframework.stereotype.Component;

/**
 * jOOQ queries whose SQL text is rendered once per shape and then only bound to new values. On the hot
 * read paths rendering a query cost more server CPU than PostgreSQL spent running it (JFR profile in
 * bench/results/2026-11-23-tuning.md); the jOOQ manual suggests exactly this cache.
 *
 * <p>Two ways: {@link #prepare} for a query of one fixed shape, written with {@code DSL.param} placeholders
 * and bound by position at each run (cheapest: extracting bind values from a built query walks the whole
 * query tree again, about as costly as rendering it); {@link #of} for queries built per request, cached by
 * a shape key that must determine the SQL text: everything that adds, removes or reorders a clause or a
 * bind parameter (a filter that is present, a sort), never a value.
 */
@Component
public class RenderedSql {

    private static final int MAX_SHAPES = 10_000;

    private final DSLContext db;
    private final ConcurrentMap<Object, String> sqlByShape = new ConcurrentHashMap<>();

    RenderedSql(DSLContext db) {
        this.db = db;
    }

    /** A query of one fixed shape whose SQL is rendered now; its parameters are bound in order of appearance. */
    public Prepared prepare(ResultQuery<?> template, int parameters) {
        List<Object> binds = template.getBindValues();
        if (binds.size() != parameters) { // a constant jOOQ turned into a bind value would shift every position
            throw new IllegalStateException("Expected " + parameters + " bind parameters, jOOQ renders " + binds.size()
                    + ": " + db.render(template));
        }
        return new Prepared(db, db.render(template), List.of(template.fields()));
    }

    /** SQL rendered once; each run binds new values in the order the parameters appear in it. */
    public static final class Prepared {
        private final DSLContext db;
        private final String sql;
        private final Field<?>[] fields;

        private Prepared(DSLContext db, String sql, List<Field<?>> fields) {
            this.db = db;
            this.sql = sql;
            this.fields = fields.toArray(Field<?>[]::new);
        }

        public ResultQuery<Record> bind(Object... values) {
            return db.resultQuery(sql, values).coerce(fields);
        }
    }

    /** The query, run with the SQL cached for its shape; records carry the query's own fields. */
    public <R extends Record> ResultQuery<Record> of(Object shape, Select<R> query) {
        String sql = sqlByShape.get(shape);
        if (sql == null) {
            sql = db.render(query);
            if (sqlByShape.size() < MAX_SHAPES) { // a bound on memory should a caller's key ever include a value
                sqlByShape.putIfAbsent(shape, sql);
            }
        }
        return db.resultQuery(sql, query.getBindValues().toArray()).coerce(query.getSelect());
    }
}
