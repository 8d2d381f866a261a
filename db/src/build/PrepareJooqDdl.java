import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build-time helper (run by exec-maven-plugin with the JDK's single-file source launcher, before
 * jOOQ code generation): copies the Flyway migrations into a directory read by jOOQ's
 * {@code DDLDatabase}, rewriting the PostgreSQL types {@code text} and {@code bytea} to
 * {@code varchar(999999999)} and {@code varbinary(999999999)}.
 *
 * <p>Why: {@code DDLDatabase} simulates the DDL on H2, where PostgreSQL {@code text} and
 * {@code bytea} become {@code CLOB} and {@code BLOB}, and H2 cannot index LOB columns, so every
 * primary/unique/foreign key on such a column fails (jOOQ issue #9336, "won't fix"). H2 can index
 * {@code varchar}/{@code varbinary}; the codegen configuration (forcedTypes in pom.xml) maps exactly
 * these lengths back to {@code SQLDataType.CLOB} / {@code SQLDataType.BLOB}, which is what jOOQ uses
 * for PostgreSQL {@code text} / {@code bytea}. The length 999999999 is just a marker no migration
 * would use (H2's maximum is 1000000000, but jOOQ drops that length, so it could not be matched).
 *
 * <p>Only the bare words {@code text}/{@code bytea} outside of comments, string literals, quoted
 * identifiers and dollar-quoted bodies are rewritten; everything else (including the
 * {@code [jooq ignore ...]} markers) is copied verbatim. The migrations Flyway applies are never
 * modified.
 *
 * <p>Usage: {@code java PrepareJooqDdl.java <migration dir> <output dir>}
 */
public final class PrepareJooqDdl {

    static final Map<String, String> TYPES = Map.of(
            "text", "varchar(999999999)",
            "bytea", "varbinary(999999999)");

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: PrepareJooqDdl <migration dir> <output dir>");
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        try (Stream<Path> old = Files.list(out)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".sql")).toList()) {
                Files.delete(p);
            }
        }
        List<Path> scripts;
        try (Stream<Path> s = Files.list(in)) {
            scripts = s.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
        }
        for (Path script : scripts) {
            String sql = Files.readString(script, StandardCharsets.UTF_8);
            Files.writeString(out.resolve(script.getFileName()), rewrite(sql), StandardCharsets.UTF_8);
        }
        System.out.println("[PrepareJooqDdl] " + scripts.size() + " migration(s) -> " + out);
    }

    static String rewrite(String sql) {
        StringBuilder sb = new StringBuilder(sql.length() + 256);
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') { // line comment
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                sb.append(sql, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') { // block comment (nests in PG)
                int depth = 0;
                int j = i;
                do {
                    if (sql.startsWith("/*", j)) {
                        depth++;
                        j += 2;
                    } else if (sql.startsWith("*/", j)) {
                        depth--;
                        j += 2;
                    } else {
                        j++;
                    }
                } while (depth > 0 && j < n);
                sb.append(sql, i, j);
                i = j;
            } else if (c == '\'' || c == '"') { // string literal / quoted identifier ('' and "" escape)
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        j++;
                        break;
                    }
                    j++;
                }
                sb.append(sql, i, j);
                i = j;
            } else if (c == '$' && dollarTag(sql, i) != null) { // $tag$ ... $tag$
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                end = end < 0 ? n : end + tag.length();
                sb.append(sql, i, end);
                i = end;
            } else if (Character.isLetter(c) || c == '_') { // word
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                    j++;
                }
                String word = sql.substring(i, j);
                sb.append(TYPES.getOrDefault(word.toLowerCase(Locale.ROOT), word));
                i = j;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        return j < sql.length() && sql.charAt(j) == '$' ? sql.substring(i, j + 1) : null;
    }
}
