package ai.kaaj.engine;

import ai.kaaj.store.RunStore;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A thread that LISTENs for PostgreSQL's notices of new runs (sent on commit by RunStore.create) and
 * calls back at once, once per new run, so idle workers and the Hatchet relay need not wait for their next poll.
 */
public final class RunNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(RunNotifications.class.getPackageName());

    private RunNotifications() {
    }

    public static Thread start(String threadName, DataSource dataSource, Duration poll, BooleanSupplier running,
                               Runnable onNotice) {
        return DaemonThreads.start(threadName, () -> listen(dataSource, poll, running, onNotice));
    }

    private static void listen(DataSource dataSource, Duration poll, BooleanSupplier running, Runnable onNotice) {
        while (running.getAsBoolean()) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + RunStore.NOTIFY_CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running.getAsBoolean()) {
                    var notifications = pg.getNotifications((int) poll.toMillis());
                    for (int i = 0; notifications != null && i < notifications.length; i++) {
                        onNotice.run();
                    }
                }
            } catch (Exception e) {
                if (running.getAsBoolean()) {
                    LOG.warn("Lost the database notification connection, reconnecting: {}", e.getMessage());
                    try {
                        Thread.sleep(poll.toMillis());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }
}
