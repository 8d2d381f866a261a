package dev.todoapi.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    DatabaseServer databaseServer(DatabaseProperties properties) {
        return DatabaseServer.from(properties);
    }

    /** Closed before the database server, since it depends on it. */
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseServer server, DatabaseProperties properties) {
        JdbcTarget target = server.target();
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("todo-db");
        dataSource.setJdbcUrl(target.jdbcUrl());
        dataSource.setUsername(target.user());
        dataSource.setPassword(target.password());
        dataSource.setMaximumPoolSize(properties.poolSize());
        dataSource.setMinimumIdle(properties.poolSize());
        // A request waits at most this long for a connection; then the database counts as unavailable.
        dataSource.setConnectionTimeout(Math.max(250, properties.connectTimeout().toMillis()));
        dataSource.setValidationTimeout(Math.max(250, properties.connectTimeout().toMillis()));
        long seconds = Math.max(1, properties.connectTimeout().toSeconds());
        dataSource.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
        dataSource.addDataSourceProperty("ApplicationName", "todo-api");
        if (!server.isEmbedded()) {
            // Behind a transaction pooler (PgBouncer pool_mode=transaction): prepareThreshold=0, or no start at all.
            TransactionPooling.driverProperties(target, properties.connectTimeout()).forEach(dataSource::addDataSourceProperty);
        }
        return dataSource;
    }
}
