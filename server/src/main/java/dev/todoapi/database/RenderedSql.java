package dev.todoapi.database;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.Select;
import org.springframework.stereotype.Component;

/**
 * jOOQ queries whose SQL text is rendered once per shape and then only bound to new values. On the hot
 * read paths rendering a query cost more server CPU than PostgreSQL spent running it (JFR profile in
 * bench/results/2026-11-23-tuning.md); the jOOQ manual suggests exactly this cache.
 *
 * <p>The shape key must determine the SQL text: everything that adds, removes or reorders a clause or a
 * bind parameter (a filter that is present, a sort), never a value. Values come from the query itself.
 */
@Component
public class RenderedSql {

    private static final int MAX_SHAPES = 10_000;

    private final DSLContext db;
    private final ConcurrentMap<Object, String> sqlByShape = new ConcurrentHashMap<>();

    RenderedSql(DSLContext db) {
        this.db = db;
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
