package ai.kaaj;

import ai.kaaj.api.ApiKeyCheck;
import ai.kaaj.api.ApplicationApi;
import ai.kaaj.api.HealthApi;
import ai.kaaj.api.HttpErrors;
import ai.kaaj.api.HttpReply;
import ai.kaaj.api.LenderApi;
import ai.kaaj.api.RunApi;
import ai.kaaj.config.AppConfig;
import ai.kaaj.config.Settings;
import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.PdfText;
import ai.kaaj.engine.EmbeddedWorker;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.Workflows;
import ai.kaaj.extraction.RuleApplicationExtractor;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.ingest.ApplicationIngest;
import ai.kaaj.ingest.FileDrop;
import ai.kaaj.ingest.LenderIngest;
import ai.kaaj.matching.MatchingEngine;
import ai.kaaj.pipeline.LenderProcessingSteps;
import ai.kaaj.pipeline.LoanMatchingSteps;
import ai.kaaj.pipeline.MatchResultsAggregation;
import ai.kaaj.store.ApplicationStore;
import ai.kaaj.store.MatchStore;
import ai.kaaj.store.Database;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.Sql;
import ai.kaaj.metrics.ProductMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
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
                case API -> "file:routes/api.camel.yaml,file:routes/file-drop.camel.yaml,file:routes/health.camel.yaml";
                case WORKER -> "file:routes/lender-processing.camel.yaml,file:routes/loan-matching.camel.yaml,"
                        + "file:routes/health.camel.yaml";
            };
        }
    }

    private final Main main;
    private final Role role;
    private final Database database;
    private final EmbeddedWorker worker;
    private final int httpPort;
    private final Duration stopGrace;
    private final long maxUploadBytes;
    private boolean httpErrorsInstalled;

    private KaajApplication(Main main, Role role, Database database, EmbeddedWorker worker, int httpPort,
                            long maxUploadBytes, Duration stopGrace) {
        this.httpPort = httpPort;
        this.stopGrace = stopGrace;
        this.main = main;
        this.role = role;
        this.database = database;
        this.worker = worker;
        this.maxUploadBytes = maxUploadBytes;
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
        } catch (IllegalStateException e) {
            System.err.println("kaaj: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
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
        // Main.start() does not call the main listeners as run() does: start the worker here.
        app.main.start();
        app.afterCamelStarted();
        return app;
    }

    private static KaajApplication create(Role role, AppConfig config, Settings settings, String workerNumber) {
        Database database = Database.open(settings.databaseUrl(), settings.dataDir(), settings.embeddedDbPort(),
                settings.dbPoolSize());
        Sql sql = new Sql(database.dataSource());
        RunStore runs = new RunStore(sql);
        LenderStore lenders = new LenderStore(sql);
        DocumentStore documents = new DocumentStore(sql);
        ApplicationStore applications = new ApplicationStore(sql);
        MatchStore matches = new MatchStore(sql);
        Clock clock = Clock.systemDefaultZone();
        // One registry for Camel's meters and ours; camel-micrometer-prometheus serves it at /metrics.
        PrometheusMeterRegistry meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ProductMetrics metrics = new ProductMetrics(meterRegistry);
        Ocr ocr = new Ocr(settings.ocrTessdata(), settings.ocrLanguage());
        ocr.unavailableReason().ifPresent(reason ->
                LOG.warn("OCR is unavailable: {}; scanned PDFs will fail until you {}", reason, Ocr.INSTALL_HINT));
        EmbeddedWorker worker = role.runsSteps()
                ? new EmbeddedWorker(runs, Workflows.all(), metrics, database.dataSource(), workerName(workerNumber), settings.workerSlots(), settings.lease(),
                settings.enginePoll(), Duration.ofSeconds(1))
                : null;

        // No package scan: beans are bound below, and tests' classes must not be picked up as routes.
        Main main = new Main();
        LenderIngest lenderIngest = new LenderIngest(sql, lenders, documents, runs, settings.maxUploadBytes());
        ApplicationIngest applicationIngest = new ApplicationIngest(sql, applications, documents, runs,
                settings.maxUploadBytes(), clock);
        RunApi runApi = new RunApi(runs);
        PdfText pdfText = new PdfText(ocr, settings.ocrDpi(), settings.ocrMinTextChars());
        main.bind("lenderProcessing", new LenderProcessingSteps(lenders, documents, pdfText,
                new RuleCriteriaExtractor(), metrics));
        main.bind("loanMatching", new LoanMatchingSteps(applications, matches, documents, pdfText,
                new RuleApplicationExtractor(), new MatchingEngine(), clock, metrics));
        main.bind("matchResults", new MatchResultsAggregation());
        main.bind("metricsRegistry", meterRegistry);
        main.bind("lenderApi", new LenderApi(lenderIngest, lenders, documents, runApi));
        main.bind("applicationApi", new ApplicationApi(applicationIngest, applications, matches, runApi));
        main.bind("runApi", runApi);
        main.bind("healthApi", new HealthApi(database, worker, ocr));
        main.bind("httpReply", new HttpReply());
        main.bind("apiKeyCheck", new ApiKeyCheck(settings.apiKey()));
        main.bind("fileDrop", new FileDrop(lenderIngest, applicationIngest));

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
        camel.forEach(main::addOverrideProperty);

        KaajApplication app = new KaajApplication(main, role, database, worker, settings.httpPort(),
                settings.maxUploadBytes(), settings.stopGrace());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport ignored) {
                app.afterCamelStarted();
                LOG.info("Kaaj started as {}{}", role.name().toLowerCase(Locale.ROOT),
                        role.servesApi() ? " on port " + settings.httpPort() : "");
            }

            @Override
            public void beforeStop(BaseMainSupport ignored) {
                app.stopWorker();
            }

            @Override
            public void afterStop(BaseMainSupport ignored) {
                database.close();
            }
        });
        return app;
    }

    /** host:pid/worker-N: unique per process, and readable in logs and the run history. */
    static String workerName(String number) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid() + "/worker-" + number;
    }

    private synchronized void afterCamelStarted() {
        if (!httpErrorsInstalled) {
            HttpErrors.install(main.getCamelContext(), httpPort, maxUploadBytes);
            httpErrorsInstalled = true;
        }
        if (worker != null && !worker.isRunning()) {
            worker.start(new StepRunner(main.getCamelContext().createProducerTemplate()));
        }
    }

    private synchronized void stopWorker() {
        if (worker != null && worker.isRunning()) {
            worker.stop(stopGrace);
        }
    }

    public Database database() {
        return database;
    }

    public EmbeddedWorker worker() {
        return worker;
    }

    @Override
    public void close() throws Exception {
        stopWorker();
        main.stop();
        database.close();
    }
}
