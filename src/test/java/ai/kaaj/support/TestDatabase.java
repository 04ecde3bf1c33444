package ai.kaaj.support;

import ai.kaaj.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh, empty PostgreSQL database per caller: on the server DATABASE_URL names (CI uses the
 * machine's PostgreSQL), or on one embedded server started for the whole test run.
 */
public final class TestDatabase {

    private static String adminUrl;
    /** The databases this JVM made, dropped when it exits so that test runs do not fill the server's disk. */
    private static final List<String> CREATED = new ArrayList<>();

    private TestDatabase() {
    }

    /** A JDBC URL of a new database no other test uses. */
    public static synchronized String newDatabaseUrl() throws Exception {
        if (adminUrl == null) {
            String configured = System.getenv("DATABASE_URL");
            if (configured != null && !configured.isBlank()) {
                adminUrl = Database.toJdbcUrl(configured);
                Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated));
            } else {
                EmbeddedPostgres embedded = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (Exception ignored) {
                        // the JVM is exiting
                    }
                }));
                adminUrl = embedded.getJdbcUrl("postgres", "postgres");
            }
        }
        String name = "kaaj_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        CREATED.add(name);
        return withDatabase(adminUrl, name);
    }

    private static synchronized void dropCreated() {
        try (Connection connection = DriverManager.getConnection(adminUrl);
             Statement statement = connection.createStatement()) {
            for (String name : CREATED) {
                // FORCE: a pool the test left open must not keep its database
                statement.execute("drop database if exists " + name + " with (force)");
            }
        } catch (Exception e) {
            System.err.println("could not drop the test databases: " + e.getMessage());
        }
    }

    /** Opens a new database with the migrations applied. */
    public static Database open() throws Exception {
        return Database.open(newDatabaseUrl(), Path.of("target"), 0, 8);
    }

    static String withDatabase(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        int slash = base.indexOf('/', "jdbc:postgresql://".length());
        String hostPart = slash < 0 ? base : base.substring(0, slash);
        return hostPart + "/" + database + params;
    }
}
