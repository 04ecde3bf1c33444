package ai.kaaj.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL the service keeps everything in: DATABASE_URL when given, otherwise an embedded
 * server under the data directory (started here unless one already answers on its port).
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class.getPackageName());

    private final HikariDataSource dataSource;
    private final EmbeddedPostgres embedded;

    private Database(HikariDataSource dataSource, EmbeddedPostgres embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
    }

    /** Connects (starting the embedded server when needed) and applies the Flyway migrations. */
    public static Database open(String databaseUrl, Path dataDir, int embeddedPort, int poolSize) {
        EmbeddedPostgres embedded = null;
        String jdbcUrl;
        if (databaseUrl != null) {
            jdbcUrl = toJdbcUrl(databaseUrl);
        } else {
            jdbcUrl = embeddedJdbcUrl(embeddedPort);
            if (!answers(jdbcUrl)) {
                embedded = startEmbedded(dataDir, embeddedPort);
            } else {
                LOG.info("Using the embedded PostgreSQL already running on port {}", embeddedPort);
            }
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("kaaj");
        // Fail fast at start-up instead of hanging when the database is not there.
        config.setInitializationFailTimeout(10_000);
        // An outage answers callers within 2 s (HTTP 503) instead of holding them.
        config.setConnectionTimeout(2_000);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (embedded != null) {
                closeQuietly(embedded);
            }
            throw new IllegalStateException("cannot connect to the database at " + redact(jdbcUrl) + ": "
                    + rootMessage(e), e);
        }
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return new Database(dataSource, embedded);
    }

    /** Runs the embedded server in this process until it is closed: the `bin/kaaj db` role. */
    public static EmbeddedPostgres startEmbedded(Path dataDir, int port) {
        Path pgData = dataDir.resolve("pg");
        try {
            Files.createDirectories(pgData);
            LOG.info("Starting embedded PostgreSQL on port {} with data in {}", port, pgData.toAbsolutePath());
            return EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL on port " + port + " with data in "
                    + pgData.toAbsolutePath() + ": " + rootMessage(e), e);
        }
    }

    public static String embeddedJdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public static boolean answers(String jdbcUrl) {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl)) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** jdbc:postgresql://… passes through; postgres[ql]://user:password@host:port/db?params becomes JDBC. */
    public static String toJdbcUrl(String url) {
        if (url.startsWith("jdbc:")) {
            return url;
        }
        URI uri = URI.create(url);
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
        if (uri.getPort() > 0) {
            jdbc.append(':').append(uri.getPort());
        }
        jdbc.append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath());
        StringBuilder params = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        if (uri.getRawUserInfo() != null) {
            String[] userInfo = uri.getRawUserInfo().split(":", 2);
            appendParam(params, "user", decode(userInfo[0]));
            if (userInfo.length > 1) {
                appendParam(params, "password", decode(userInfo[1]));
            }
        }
        if (params.length() > 0) {
            jdbc.append('?').append(params);
        }
        return jdbc.toString();
    }

    private static void appendParam(StringBuilder params, String name, String value) {
        if (params.length() > 0) {
            params.append('&');
        }
        params.append(name).append('=').append(java.net.URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** The URL without its password, for messages. */
    public static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("password=[^&]*", "password=***");
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** How many migrations this build has that the database does not; -1 when the database cannot say. */
    public int pendingMigrations() {
        try {
            return Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().info()
                    .pending().length;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** True when a connection can be had and answers a query within a second. */
    public boolean isReachable() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (dataSource.isClosed()) {
            return;
        }
        dataSource.close();
        if (embedded != null) {
            closeQuietly(embedded);
        }
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
