package dev.todoapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcTargetTest {

    @Test
    void readsTheHerokuStyleUrl() {
        JdbcTarget target = JdbcTarget.parse("postgresql://alice:s%40cret@db.example.com:6543/todo?sslmode=require");

        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/todo?sslmode=require");
        assertThat(target.user()).isEqualTo("alice");
        assertThat(target.password()).isEqualTo("s@cret");
    }

    @Test
    void readsThePostgresSchemeWithoutPortOrCredentials() {
        JdbcTarget target = JdbcTarget.parse("postgres://db.internal/app");

        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal/app");
        assertThat(target.user()).isNull();
        assertThat(target.password()).isNull();
    }

    @Test
    void keepsJdbcUrlsAsTheyAre() {
        JdbcTarget target = JdbcTarget.parse("jdbc:postgresql://localhost:5432/todo?ssl=false");

        assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/todo?ssl=false");
    }

    @Test
    void separateCredentialsWin() {
        JdbcTarget target = JdbcTarget.parse("postgresql://alice:one@h/db").withCredentials("bob", "two");

        assertThat(target.user()).isEqualTo("bob");
        assertThat(target.password()).isEqualTo("two");
        assertThat(JdbcTarget.parse("postgresql://alice:one@h/db").withCredentials("", null).user()).isEqualTo("alice");
    }

    @Test
    void describeHidesQueryAndCredentials() {
        JdbcTarget target = JdbcTarget.parse("postgresql://alice:secret@h:5432/db?password=secret");

        assertThat(target.describe()).isEqualTo("jdbc:postgresql://h:5432/db").doesNotContain("secret");
        assertThat(target.toString()).doesNotContain("secret");
    }

    @Test
    void rejectsOtherSchemes() {
        assertThatThrownBy(() -> JdbcTarget.parse("mysql://h/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL");
    }
}
