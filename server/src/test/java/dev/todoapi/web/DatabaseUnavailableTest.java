package dev.todoapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/** Which failures mean "the database is unavailable" (503 with Retry-After) rather than a bug (500). */
class DatabaseUnavailableTest {

    @Test
    void connectionFailuresAndAdministratorShutdowns() {
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(
                new RuntimeException(new SQLException("terminating connection due to administrator command", "57P01")))).isTrue();
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(new SQLException("connection refused", "08001"))).isTrue();
    }

    @Test
    void aFailedRollbackAfterTheDatabaseWentAway() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("terminating connection"));

        assertThat(ApiExceptionHandler.isDatabaseUnavailable(rollbackFailed)).isTrue();
    }

    /**
     * The database went away in a before-commit step (the change log's stamps): Spring only logs that failure, and the
     * failed rollback after it, without an application exception, is what reaches the handler (seen in the db-outage
     * fault drill as a 500).
     */
    @Test
    void aFailedRollbackAfterAFailedBeforeCommitStep() {
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed")))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(new IllegalStateException("bug"))).isFalse();
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(new DataIntegrityViolationException("duplicate"))).isFalse();
        assertThat(ApiExceptionHandler.isDatabaseUnavailable(new SQLException("syntax error", "42601"))).isFalse();
    }
}
