package dev.todoapi.db;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.todoapi.db.jooq.DefaultCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.ForeignKey;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.UniqueKey;
import org.jooq.impl.QOM.ForeignKeyRule;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;

/**
 * The jOOQ model is generated from the migrations by jOOQ's DDL simulation (DDLDatabase on H2), while
 * the application runs against PostgreSQL. This test applies the migrations to a real PostgreSQL and
 * checks that both agree on tables, columns (type, nullability), primary keys, unique keys and foreign
 * keys (including constraint names and ON DELETE rules).
 *
 * <p>Both sides are flattened into one line per fact, e.g.
 * {@code column tasks.title text NOT NULL}; a mismatch fails with the facts only PostgreSQL has and
 * the facts only the jOOQ model has.
 *
 * <p>Not compared, because the generated model cannot represent them: expression or partial unique
 * indexes (e.g. {@code users_email_lower_key}), check constraints, defaults and plain indexes.
 * Those are exercised by {@link ConstraintsTest} and {@link ExplainTest}.
 */
class CatalogMatchesJooqModelTest {

    private static final String FLYWAY_TABLE = "flyway_schema_history";

    @Test
    void liveCatalogMatchesGeneratedJooqModel() throws SQLException {
        DataSource ds = EmbeddedPostgresSupport.freshMigratedDatabase();

        SortedSet<String> jooq = jooqFacts();
        SortedSet<String> live;
        try (Connection c = ds.getConnection()) {
            live = liveFacts(c);
        }

        // Guard against a vacuous pass (e.g. code generation producing an empty model).
        assertThat(jooq).as("jOOQ model").contains("table tasks", "table users", "table tags", "table task_tags");

        SortedSet<String> onlyLive = new TreeSet<>(live);
        onlyLive.removeAll(jooq);
        SortedSet<String> onlyJooq = new TreeSet<>(jooq);
        onlyJooq.removeAll(live);
        if (!onlyLive.isEmpty() || !onlyJooq.isEmpty()) {
            fail("""
                    The PostgreSQL catalog (after Flyway) and the generated jOOQ model differ.
                    - only in PostgreSQL:
                    %s
                    + only in the jOOQ model (dev.todoapi.db.jooq):
                    %s
                    If a migration uses SQL that jOOQ's DDLDatabase cannot simulate, give jOOQ an equivalent \
                    or extend the type mapping in this test.""".formatted(lines(onlyLive), lines(onlyJooq)));
        }
    }

    private static String lines(SortedSet<String> facts) {
        return facts.isEmpty() ? "    (none)" : facts.stream().map(f -> "    " + f).collect(joining("\n"));
    }

    // ---------------------------------------------------------------- jOOQ model

    static SortedSet<String> jooqFacts() {
        SortedSet<String> facts = new TreeSet<>();
        for (Schema schema : DefaultCatalog.DEFAULT_CATALOG.getSchemas()) {
            for (Table<?> table : schema.getTables()) {
                String t = table.getName();
                if (t.equals(FLYWAY_TABLE)) {
                    continue;
                }
                facts.add("table " + t);
                for (Field<?> f : table.fields()) {
                    DataType<?> type = f.getDataType();
                    facts.add("column %s.%s %s%s".formatted(
                            t, f.getName(), postgresType(type), type.nullable() ? "" : " NOT NULL"));
                }
                UniqueKey<?> pk = table.getPrimaryKey();
                if (pk != null) {
                    facts.add("primary key %s.%s (%s)".formatted(t, pk.getName(), names(pk.getFields())));
                }
                for (UniqueKey<?> uk : table.getUniqueKeys()) {
                    if (!uk.isPrimary()) {
                        facts.add("unique key %s.%s (%s)".formatted(t, uk.getName(), names(uk.getFields())));
                    }
                }
                for (ForeignKey<?, ?> fk : table.getReferences()) {
                    facts.add("foreign key %s.%s (%s) -> %s (%s) ON DELETE %s".formatted(
                            t, fk.getName(), names(fk.getFields()),
                            fk.getKey().getTable().getName(), names(fk.getKeyFields()),
                            rule(fk.getDeleteRule())));
                }
            }
        }
        return facts;
    }

    private static String names(List<? extends Field<?>> fields) {
        return fields.stream().map(Field::getName).collect(joining(", "));
    }

    private static String rule(ForeignKeyRule rule) {
        return rule == null ? "NO ACTION" : rule.name().replace('_', ' ');
    }

    /** The PostgreSQL type name ({@code format_type()} spelling) for a generated jOOQ data type. */
    static String postgresType(DataType<?> t) {
        if (t.isArray()) {
            return postgresType(t.getArrayComponentDataType()) + "[]";
        }
        // The SQLDataType gives the portable type name; length/precision/scale are on t itself.
        DataType<?> sqlType = t.getSQLDataType();
        if (sqlType == null) {
            return "UNMAPPED jOOQ type " + t.getTypeName();
        }
        String name = sqlType.getTypeName().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "clob", "longvarchar", "nclob", "longnvarchar" -> "text";
            case "varchar", "nvarchar" -> t.lengthDefined() ? "character varying(" + t.length() + ")" : "character varying";
            case "char", "nchar" -> "character(" + (t.lengthDefined() ? t.length() : 1) + ")";
            case "blob", "varbinary", "binary", "longvarbinary" -> "bytea";
            case "uuid" -> "uuid";
            case "boolean", "bit" -> "boolean";
            case "smallint", "tinyint" -> "smallint";
            case "integer" -> "integer";
            case "bigint" -> "bigint";
            case "real" -> "real";
            case "double", "float" -> "double precision";
            case "decimal", "numeric" -> t.precisionDefined()
                    ? "numeric(" + t.precision() + "," + (t.scaleDefined() ? t.scale() : 0) + ")"
                    : "numeric";
            case "date" -> "date";
            case "time" -> "time" + precision(t) + " without time zone";
            case "time with time zone" -> "time" + precision(t) + " with time zone";
            case "timestamp" -> "timestamp" + precision(t) + " without time zone";
            case "timestamp with time zone" -> "timestamp" + precision(t) + " with time zone";
            case "json" -> "json";
            case "jsonb" -> "jsonb";
            case "interval", "interval day to second", "interval year to month" -> "interval";
            default -> "UNMAPPED jOOQ type " + name;
        };
    }

    /** PostgreSQL's default (and maximum) fractional-second precision is 6, which format_type omits. */
    private static String precision(DataType<?> t) {
        return t.precisionDefined() && t.precision() != 6 ? "(" + t.precision() + ")" : "";
    }

    // ---------------------------------------------------------------- live PostgreSQL catalog

    static SortedSet<String> liveFacts(Connection c) throws SQLException {
        SortedSet<String> facts = new TreeSet<>();
        String excludeFlyway = " AND c.relname <> '" + FLYWAY_TABLE + "'";
        query(c, """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')""" + excludeFlyway,
                rs -> facts.add("table " + rs.getString(1)));
        query(c, """
                SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"""
                + excludeFlyway,
                rs -> facts.add("column %s.%s %s%s".formatted(
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4) ? " NOT NULL" : "")));
        // Constraints; the column lists keep the key order (WITH ORDINALITY).
        query(c, """
                SELECT con.contype, c.relname, con.conname,
                       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                          FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                       rc.relname,
                       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                          FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
                       con.confdeltype
                FROM pg_constraint con
                JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                LEFT JOIN pg_class rc ON rc.oid = con.confrelid
                WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f')""" + excludeFlyway,
                rs -> facts.add(switch (rs.getString(1)) {
                    case "p" -> "primary key %s.%s (%s)".formatted(rs.getString(2), rs.getString(3), rs.getString(4));
                    case "u" -> "unique key %s.%s (%s)".formatted(rs.getString(2), rs.getString(3), rs.getString(4));
                    default -> "foreign key %s.%s (%s) -> %s (%s) ON DELETE %s".formatted(
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            deleteRule(rs.getString(7)));
                }));
        // Unique indexes that are not constraints but still plain column keys (CREATE UNIQUE INDEX on
        // columns, no expressions, no WHERE): jOOQ models them as unique keys too.
        query(c, """
                SELECT c.relname, ic.relname,
                       (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
                          FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND i.indisunique AND NOT i.indisprimary
                  AND i.indexprs IS NULL AND i.indpred IS NULL
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)"""
                + excludeFlyway,
                rs -> facts.add("unique key %s.%s (%s)".formatted(rs.getString(1), rs.getString(2), rs.getString(3))));
        return facts;
    }

    private static String deleteRule(String confdeltype) {
        return switch (confdeltype) {
            case "a" -> "NO ACTION";
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> "UNKNOWN " + confdeltype;
        };
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, RowHandler handler) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                handler.row(rs);
            }
        }
    }

    // Keep the mapping honest for the types the schema uses today.
    @Test
    void typeMappingCoversTheTypesInUse() {
        assertThat(Stream.of(
                        SQLDataType.CLOB, SQLDataType.UUID, SQLDataType.BOOLEAN, SQLDataType.INTEGER,
                        SQLDataType.TIMESTAMPWITHTIMEZONE(6), SQLDataType.BLOB, SQLDataType.VARCHAR(50))
                .map(CatalogMatchesJooqModelTest::postgresType)
                .toList())
                .containsExactly("text", "uuid", "boolean", "integer", "timestamp with time zone", "bytea",
                        "character varying(50)");
        List<String> unmapped = new ArrayList<>();
        for (String fact : jooqFacts()) {
            if (fact.contains("UNMAPPED")) {
                unmapped.add(fact);
            }
        }
        assertThat(unmapped).as("columns whose jOOQ type this test cannot map to PostgreSQL").isEmpty();
    }
}
