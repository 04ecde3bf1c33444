package ai.kaaj;

import ai.kaaj.config.AppConfig;
import ai.kaaj.config.Settings;
import ai.kaaj.hatchet.HatchetException;
import ai.kaaj.store.Database;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The service: `all` (API, file drop and a worker in one process, the default), `api`, `worker`,
 * or `db` (the embedded PostgreSQL alone, shared by the other processes).
 */
public final class KaajApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KaajApplication.class.getPackageName());

    public enum Role {
        ALL, API, WORKER;

        boolean servesApi() {
            return this != WORKER;
        }

        boolean runsSteps() {
            return this != API;
        }

        String routes() {
            return switch (this) {
                case ALL -> "file:routes/*.camel.yaml";
                case API -> "file:routes/api.camel.yaml,file:routes/console.camel.yaml,file:routes/file-drop.camel.yaml,"
                        + "file:routes/health.camel.yaml,file:routes/rest.camel.yaml";
                case WORKER -> "file:routes/lender-processing.camel.yaml,file:routes/loan-matching.camel.yaml,"
                        + "file:routes/llm-extraction.camel.yaml,file:routes/health.camel.yaml,file:routes/rest.camel.yaml";
            };
        }
    }

    private final Main main;
    private final Wiring wiring;

    private KaajApplication(Main main, Wiring wiring) {
        this.main = main;
        this.wiring = wiring;
    }

    public static void main(String[] args) throws Exception {
        String roleName = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "all";
        AppConfig config;
        Settings settings;
        try {
            config = AppConfig.load(Path.of("config/application.properties"), Path.of(".env"), System.getenv());
            settings = Settings.from(config);
        } catch (AppConfig.ConfigException e) {
            System.err.println("kaaj: configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (roleName.equals("db")) {
            runDatabase(settings);
            return;
        }
        if (roleName.equals("ensure-db")) {
            ensureDatabase(settings);
            return;
        }
        String workerNumber = args.length > 1 ? args[1] : "1";
        Role role;
        try {
            role = Role.valueOf(roleName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("kaaj: unknown role '" + roleName + "': use all, api, worker or db");
            System.exit(2);
            return;
        }
        KaajApplication app;
        try {
            app = create(role, config, settings, workerNumber);
        } catch (IllegalStateException | HatchetException e) {
            System.err.println("kaaj: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        app.wiring.exitWhenHatchetRefusesTheWorker();
        // Blocks until SIGINT/SIGTERM; then the worker stops gracefully and the database closes.
        app.main.run();
    }

    /**
     * Without DATABASE_URL, makes sure the embedded database runs as a process of its own (in its own
     * session, so Ctrl+C on the workers' terminal does not reach it), starting it when nothing answers.
     */
    private static void ensureDatabase(Settings settings) throws Exception {
        if (settings.databaseUrl() != null) {
            return;
        }
        String url = Database.embeddedJdbcUrl(settings.embeddedDbPort());
        if (Database.answers(url)) {
            return;
        }
        java.nio.file.Files.createDirectories(Path.of("logs"));
        System.err.println("kaaj: starting the embedded PostgreSQL (bin/kaaj db, log in logs/db.log)");
        new ProcessBuilder("setsid", "bin/kaaj", "db")
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("logs/db.log").toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Database.answers(url)) {
            if (System.nanoTime() > deadline) {
                System.err.println("kaaj: the embedded PostgreSQL did not answer on port " + settings.embeddedDbPort()
                        + " within 90 s; see logs/db.log");
                System.exit(1);
            }
            Thread.sleep(500);
        }
    }

    private static void runDatabase(Settings settings) throws InterruptedException {
        if (settings.databaseUrl() != null) {
            System.err.println("kaaj: DATABASE_URL is set; the embedded database is not needed");
            System.exit(2);
        }
        var embedded = Database.startEmbedded(settings.dataDir(), settings.embeddedDbPort());
        LOG.info("Embedded PostgreSQL is running on port {}: {}", settings.embeddedDbPort(),
                Database.embeddedJdbcUrl(settings.embeddedDbPort()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                embedded.close();
            } catch (Exception e) {
                LOG.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
    }

    /** Starts the service without blocking (tests, benchmarks); close() stops it. */
    public static KaajApplication start(Role role, AppConfig config) throws Exception {
        KaajApplication app = create(role, config, Settings.from(config), "1");
        app.main.start();
        return app;
    }

    private static KaajApplication create(Role role, AppConfig config, Settings settings, String workerNumber) {
        Wiring wiring = Wiring.create(settings, role, workerNumber);
        // No package scan: the beans come from the service's configuration, and tests' classes must not be
        // picked up as routes. They are bound before Camel configures itself as well: Camel's Prometheus support
        // takes the registry named metricsRegistry only if it is there when it starts, before configurations run.
        Main main = new Main();
        wiring.bindInto(main::bind);
        main.configure().addConfiguration(new ServiceConfiguration(wiring));

        // Camel gets its own keys and the placeholders routes use, never secrets (it logs its properties).
        Map<String, String> camel = new LinkedHashMap<>();
        config.asMap().forEach((key, value) -> {
            if (key.startsWith("camel.") || key.startsWith("kaaj.inbox.")) {
                camel.put(key, value);
            }
        });
        camel.put("camel.main.routesIncludePattern", role.routes());
        // Every role serves HTTP: workers only /api/health (start_workers.sh gives each a free port).
        camel.put("camel.server.enabled", "true");
        camel.put("camel.server.port", Integer.toString(settings.httpPort()));
        // The management server shares the API's port: it serves the Prometheus scrape at /metrics.
        camel.put("camel.management.enabled", "true");
        camel.put("camel.management.metricsEnabled", "true");
        camel.put("camel.management.port", Integer.toString(settings.httpPort()));
        // Without an API key the API is reachable from this machine only.
        if (role.servesApi() && settings.apiKey() == null) {
            LOG.warn("KAAJ_API_KEY is not set: the API needs no key and listens on 127.0.0.1 only");
        }
        String host = settings.apiKey() == null ? "127.0.0.1" : "0.0.0.0";
        camel.put("camel.server.host", host);
        camel.put("camel.management.host", host);
        // Vert.x refuses larger bodies with a bare 413; up to this size our own check answers with JSON.
        camel.put("camel.server.maxBodySize", Long.toString(settings.maxUploadBytes() + 1024 * 1024));
        // Vert.x writes uploads here while they arrive (deleted when the request ends); not the working directory.
        camel.put("camel.server.fileUploadDirectory", settings.dataDir().resolve("uploads").toString());
        camel.forEach(main::addOverrideProperty);

        KaajApplication app = new KaajApplication(main, wiring);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport ignored) {
                LOG.info("Kaaj started as {}{}", role.name().toLowerCase(Locale.ROOT),
                        role.servesApi() ? " on port " + settings.httpPort() : "");
            }
        });
        return app;
    }

    public Database database() {
        return wiring.database();
    }

    /** Stops Camel, which stops the worker first and closes the rest last (see ServiceConfiguration). */
    @Override
    public void close() throws Exception {
        main.stop();
    }
}
