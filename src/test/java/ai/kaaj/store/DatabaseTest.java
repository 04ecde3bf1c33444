package ai.kaaj.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseTest {

    @Test
    void postgresUrlsBecomeJdbcUrls() {
        assertThat(Database.toJdbcUrl("postgresql://kaaj:p%40ss@db.internal:5432/kaaj?sslmode=require"))
                .isEqualTo("jdbc:postgresql://db.internal:5432/kaaj?sslmode=require&user=kaaj&password=p%40ss");
        assertThat(Database.toJdbcUrl("postgres://localhost/kaaj")).isEqualTo("jdbc:postgresql://localhost/kaaj");
        assertThat(Database.toJdbcUrl("jdbc:postgresql://h/db?user=x")).isEqualTo("jdbc:postgresql://h/db?user=x");
    }

    @Test
    void passwordsAreRedactedInMessages() {
        assertThat(Database.redact("jdbc:postgresql://h/db?user=x&password=secret&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=x&password=***&ssl=true");
    }
}
