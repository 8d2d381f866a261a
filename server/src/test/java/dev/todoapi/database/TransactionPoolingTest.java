package dev.todoapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the server does with the JDBC driver once it knows whether a transaction pooler is in between. */
class TransactionPoolingTest {

    private static final JdbcTarget TARGET = new JdbcTarget("jdbc:postgresql://pooler:6432/todo", "todo", null);
    private static final TransactionPooling.Probe POOLED = new TransactionPooling.Probe(true, "backends changed");
    private static final TransactionPooling.Probe DIRECT = new TransactionPooling.Probe(false, "backends kept");

    @Test
    void readsTheUrlsOwnPrepareThreshold() {
        assertThat(TransactionPooling.explicitPrepareThreshold("jdbc:postgresql://h/db")).isNull();
        assertThat(TransactionPooling.explicitPrepareThreshold("jdbc:postgresql://h/db?sslmode=require&prepareThreshold=0")).isZero();
        assertThat(TransactionPooling.explicitPrepareThreshold("jdbc:postgresql://h:6432/db?prepareThreshold=5")).isEqualTo(5);
        assertThat(TransactionPooling.explicitPrepareThreshold("jdbc:postgresql://h/db?prepareThreshold=-1")).isEqualTo(-1);
        // The postgresql:// form of DATABASE_URL keeps its query string in the JDBC URL.
        assertThat(TransactionPooling.explicitPrepareThreshold(
                JdbcTarget.parse("postgresql://u:p@h:6432/db?prepareThreshold=3").jdbcUrl())).isEqualTo(3);
        assertThatThrownBy(() -> TransactionPooling.explicitPrepareThreshold("jdbc:postgresql://h/db?prepareThreshold=x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a number");
    }

    @Test
    void aDirectConnectionKeepsTheDriversDefaults() {
        assertThat(TransactionPooling.decide(TARGET, null, DIRECT)).isEmpty();
        assertThat(TransactionPooling.decide(TARGET, 5, DIRECT)).isEmpty();
    }

    @Test
    void behindATransactionPoolerWithoutAThresholdPreparedStatementsAreTurnedOff() {
        assertThat(TransactionPooling.decide(TARGET, null, POOLED)).isEqualTo(Map.of("prepareThreshold", "0"));
        assertThat(TransactionPooling.decide(TARGET, 0, POOLED)).isEmpty();
    }

    @Test
    void behindATransactionPoolerAnExplicitThresholdRefusesTheStart() {
        for (int threshold : new int[] {1, 5, -1}) {
            assertThatThrownBy(() -> TransactionPooling.decide(TARGET, threshold, POOLED))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("prepareThreshold=" + threshold)
                    .hasMessageContaining("set prepareThreshold=0 in DATABASE_URL")
                    .hasMessageContaining("jdbc:postgresql://pooler:6432/todo")
                    .hasMessageNotContaining("\n");
        }
    }
}
