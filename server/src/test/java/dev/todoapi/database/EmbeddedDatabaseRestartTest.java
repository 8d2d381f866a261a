package dev.todoapi.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL keeps its data in TODO_DATA_DIR, so a restart finds everything again. */
class EmbeddedDatabaseRestartTest {

    @Test
    void dataSurvivesARestart(@TempDir Path dataDir) throws Exception {
        DatabaseProperties properties = new DatabaseProperties(null, null, null, dataDir, 2, Duration.ofSeconds(2));

        try (DatabaseServer first = DatabaseServer.from(properties)) {
            assertThat(first.isEmbedded()).isTrue();
            execute(first.target(), "CREATE TABLE survivor (note text); INSERT INTO survivor VALUES ('still here')");
        }
        try (DatabaseServer second = DatabaseServer.from(properties);
                Connection connection = connect(second.target());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT note FROM survivor")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("still here");
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();
    }

    private static void execute(JdbcTarget target, String sql) throws Exception {
        try (Connection connection = connect(target); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(JdbcTarget target) throws Exception {
        return DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password() == null ? "" : target.password());
    }
}
