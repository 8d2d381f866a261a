package dev.todoapi.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every statement the application sent during the whole test suite is a single-shard statement on Citus
 * ({@link ShardKeyRule}): each distributed table pinned to one user by a bind value. Runs after every other test
 * class (see junit-platform.properties), only when the whole suite ran. The statements allowed to fan out are
 * the ones below, by the method that sends them, each with its reason.
 */
@Order(Integer.MAX_VALUE - 1)
class SingleShardStatementsTest {

    /** Application methods whose statements may touch every shard, and why. */
    static final Map<String, String> ALLOWED_TO_FAN_OUT = Map.of(
            "dev.todoapi.task.IdempotencyKeyCleanup.deleteExpired",
            "the scheduled clean-up of expired keys, off the request path, for every user at once",
            "dev.todoapi.sync.TombstonePruning.prune",
            "the scheduled clean-up of tombstones past the sync window, off the request path, for every user at once",
            "dev.todoapi.auth.StreamTickets.deleteExpired",
            "the scheduled clean-up of stream tickets that expired unused, off the request path, for every ticket at once",
            "dev.todoapi.webhook.WebhookPruning.prune",
            "the scheduled clean-up of finished webhook events and attempts past the sync window, for every user at once",
            "dev.todoapi.auth.RefreshTokenRepository.findUserOfUnnamedToken",
            "refresh tokens issued before they named their user (and strings that are no token of ours), looked up by"
                    + " hash without a lock; remove once such tokens have expired (REFRESH_TOKEN_TTL after the upgrade)");

    @Test
    void everyStatementOnTenantDataNamesItsUser() throws java.io.IOException {
        Map<String, String> captured = new TreeMap<>(SqlCapture.STATEMENTS);
        // Every statement with its sender, for reading (target/single-shard-statements.txt).
        StringBuilder all = new StringBuilder();
        captured.forEach((sql, origin) -> all.append(origin).append('\n').append(sql).append("\n\n"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "single-shard-statements.txt"), all);

        assumeTrue(captured.size() >= 40, "only " + captured.size() + " statements captured: not a full run");

        List<String> failures = new ArrayList<>();
        Set<String> fannedOut = new java.util.TreeSet<>();
        captured.forEach((sql, origin) -> {
            List<String> violations = ShardKeyRule.violations(sql);
            if (violations.isEmpty()) {
                return;
            }
            if (ALLOWED_TO_FAN_OUT.containsKey(origin)) {
                fannedOut.add(origin);
                return;
            }
            failures.add(origin + ": " + String.join("; ", violations) + "\n    " + sql);
        });
        assertThat(failures).as("statements that are not single-shard (%d of %d distinct statements)",
                failures.size(), captured.size()).isEmpty();
    }
    /**
     * Citus refuses a non-immutable function inside CASE (or COALESCE) of an UPDATE and in the DO UPDATE SET of an
     * INSERT on a distributed table ("must be marked IMMUTABLE"); a text-to-timestamptz cast of a bind value counts.
     * Plain PostgreSQL runs them, so only the Citus drill would notice: this looks for them in every statement the
     * suite made the server send.
     */
    @Test
    void noWriteUsesANonImmutableFunctionWhereCitusRefusesIt() {
        java.util.regex.Pattern unstable = java.util.regex.Pattern.compile(
                "current_timestamp|now\\(\\)|clock_timestamp|statement_timestamp|random\\(|cast\\(\\? as timestamp");
        List<String> failures = new ArrayList<>();
        SqlCapture.STATEMENTS.forEach((sql, origin) -> {
            String s = sql.toLowerCase(java.util.Locale.ROOT);
            List<String> parts = new ArrayList<>();
            if (s.startsWith("update")) {
                for (int at = s.indexOf("case when"); at >= 0; at = s.indexOf("case when", at + 1)) {
                    int end = s.indexOf(" end", at);
                    parts.add(s.substring(at, end < 0 ? s.length() : end));
                }
            }
            int conflict = s.indexOf("do update set");
            if (s.startsWith("insert") && conflict >= 0) {
                int returning = s.indexOf(" returning ", conflict);
                parts.add(s.substring(conflict, returning < 0 ? s.length() : returning));
            }
            for (String part : parts) {
                if (unstable.matcher(part).find()) {
                    failures.add(origin + ": " + part);
                }
            }
        });
        assertThat(failures).as("non-immutable functions inside CASE or DO UPDATE SET").isEmpty();
    }
}
