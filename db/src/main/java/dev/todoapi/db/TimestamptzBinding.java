package dev.todoapi.db;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.jooq.Binding;
import org.jooq.BindingGetResultSetContext;
import org.jooq.BindingGetSQLInputContext;
import org.jooq.BindingGetStatementContext;
import org.jooq.BindingRegisterContext;
import org.jooq.BindingSQLContext;
import org.jooq.BindingSetSQLOutputContext;
import org.jooq.BindingSetStatementContext;
import org.jooq.Converter;
import org.jooq.impl.DefaultBinding;
import org.jooq.impl.SQLDataType;

/**
 * {@code timestamptz} columns read as the driver decodes them ({@code getObject(i, OffsetDateTime.class)}, always
 * in UTC), everything else as jOOQ's own binding does. jOOQ's binding reads a PostgreSQL timestamp with
 * {@code getString}: pgjdbc decodes the binary value, formats it as text, and jOOQ parses the text back, which was
 * 7 % of the server's CPU on a list of 1,000 tasks (bench/results/2026-12-03-tuning.md). Wired to every
 * {@code timestamptz} column by the code generator (db/pom.xml, forcedTypes).
 */
public final class TimestamptzBinding implements Binding<OffsetDateTime, OffsetDateTime> {

    private static final Binding<OffsetDateTime, OffsetDateTime> DEFAULT = DefaultBinding.binding(SQLDataType.TIMESTAMPWITHTIMEZONE);

    @Override
    public Converter<OffsetDateTime, OffsetDateTime> converter() {
        return DEFAULT.converter();
    }

    @Override
    public void sql(BindingSQLContext<OffsetDateTime> ctx) throws SQLException {
        DEFAULT.sql(ctx);
    }

    @Override
    public void register(BindingRegisterContext<OffsetDateTime> ctx) throws SQLException {
        DEFAULT.register(ctx);
    }

    @Override
    public void set(BindingSetStatementContext<OffsetDateTime> ctx) throws SQLException {
        DEFAULT.set(ctx);
    }

    @Override
    public void set(BindingSetSQLOutputContext<OffsetDateTime> ctx) throws SQLException {
        DEFAULT.set(ctx);
    }

    @Override
    public void get(BindingGetResultSetContext<OffsetDateTime> ctx) throws SQLException {
        ctx.value(ctx.resultSet().getObject(ctx.index(), OffsetDateTime.class));
    }

    @Override
    public void get(BindingGetStatementContext<OffsetDateTime> ctx) throws SQLException {
        DEFAULT.get(ctx);
    }

    @Override
    public void get(BindingGetSQLInputContext<OffsetDateTime> ctx) throws SQLException {
        DEFAULT.get(ctx);
    }
}
