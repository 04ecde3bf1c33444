package ai.kaaj;

import ai.kaaj.api.ApiKeyCheck;
import ai.kaaj.api.ApiRequestValidator;
import ai.kaaj.api.ApplicationApi;
import ai.kaaj.api.ConsoleAssets;
import ai.kaaj.api.CriteriaHistoryApi;
import ai.kaaj.api.DocumentApi;
import ai.kaaj.api.OperationsApi;
import ai.kaaj.api.HealthApi;
import ai.kaaj.api.HttpGate;
import ai.kaaj.api.HttpReply;
import ai.kaaj.api.LenderApi;
import ai.kaaj.api.RunApi;
import ai.kaaj.config.HatchetSettings;
import ai.kaaj.config.LlmSettings;
import ai.kaaj.config.Settings;
import ai.kaaj.documents.Ocr;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.engine.EmbeddedWorker;
import ai.kaaj.engine.RunRelay;
import ai.kaaj.engine.StepRunner;
import ai.kaaj.engine.StepWorker;
import ai.kaaj.engine.WorkerHeartbeat;
import ai.kaaj.engine.Workflows;
import ai.kaaj.extraction.RuleApplicationExtractor;
import ai.kaaj.hatchet.HatchetClient;
import ai.kaaj.hatchet.HatchetRunRelay;
import ai.kaaj.hatchet.HatchetWorker;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.extraction.llm.ApplicationTarget;
import ai.kaaj.extraction.llm.CamelLlmChat;
import ai.kaaj.extraction.llm.CriteriaTarget;
import ai.kaaj.extraction.llm.DocumentModel;
import ai.kaaj.extraction.llm.LlmExtractor;
import ai.kaaj.extraction.llm.OpenAiModels;
import ai.kaaj.extraction.llm.TokenTally;
import ai.kaaj.ingest.ApplicationIngest;
import ai.kaaj.ingest.FileDrop;
import ai.kaaj.ingest.LenderIngest;
import ai.kaaj.matching.MatchingEngine;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.pipeline.LenderProcessingSteps;
import ai.kaaj.pipeline.LoanMatchingSteps;
import ai.kaaj.pipeline.MatchResultsAggregation;
import ai.kaaj.store.ApplicationStore;
import ai.kaaj.store.CriteriaHistory;
import ai.kaaj.store.Database;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.HatchetRunStore;
import ai.kaaj.store.LenderStore;
import ai.kaaj.store.MatchStore;
import ai.kaaj.store.RunHistory;
import ai.kaaj.store.RunStore;
import ai.kaaj.store.Sql;
import ai.kaaj.store.WorkerStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The service's parts, made once from its settings: the database, the stores, the beans the routes
 * call by name, and (for roles that run steps) the embedded worker. bin/kaaj and `camel run` both use it.
 */
public final class Wiring implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class.getPackageName());

    private final Database database;
    /** Empty in the api role: worker processes run the steps. */
    private final Optional<StepWorker> worker;
    private final Optional<WorkerHeartbeat> heartbeat;
    /** Empty with the embedded engine. */
    private final Optional<HatchetClient> hatchet;
    private final RunRelay relay;
    private final Settings settings;
    private final Map<String, Object> beans = new LinkedHashMap<>();
    private final CamelLlmChat llmChat = new CamelLlmChat();
    private boolean httpGateInstalled;

    private Wiring(Settings settings, Database database, Optional<StepWorker> worker, Optional<HatchetClient> hatchet,
                   RunRelay relay, Optional<WorkerHeartbeat> heartbeat) {
        this.settings = settings;
        this.heartbeat = heartbeat;
        this.database = database;
        this.worker = worker;
        this.hatchet = hatchet;
        this.relay = relay;
    }

    public static Wiring create(Settings settings, KaajApplication.Role role, String workerNumber) {
        boolean runsSteps = role.runsSteps();
        Database database = Database.open(settings.databaseUrl(), settings.dataDir(), settings.embeddedDbPort(),
                settings.dbPoolSize());
        Sql sql = new Sql(database.dataSource());
        HatchetSettings hatchetSettings = settings.hatchet();
        String engine = hatchetSettings == null ? "embedded" : "hatchet";
        RunStore runs = new RunStore(sql, engine);
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
        Optional<HatchetClient> hatchetClient = Optional.empty();
        RunRelay relay = RunRelay.NONE;
        Optional<StepWorker> worker = Optional.empty();
        String engineVersion = null;
        if (hatchetSettings != null) {
            HatchetClient hatchet = HatchetClient.open(hatchetSettings, Duration.ofSeconds(1));
            hatchetClient = Optional.of(hatchet);
            HatchetRunStore hatchetRuns = new HatchetRunStore(sql);
            try {
                hatchet.putWorkflows(Workflows.all());
                engineVersion = hatchet.engineVersionText();
                if (runsSteps) {
                    HatchetWorker hatchetWorker = new HatchetWorker(hatchet, hatchetRuns, Workflows.all(), metrics,
                            hatchetSettings.workerName() != null ? hatchetSettings.workerName()
                                    : "kaaj-worker-" + workerNumber, settings.workerSlots(), Duration.ofMinutes(1),
                            clock);
                    // before Camel starts: a worker the engine refuses ends the process at once, saying why
                    hatchetWorker.register();
                    worker = Optional.of(hatchetWorker);
                }
            } catch (RuntimeException e) {
                hatchet.close();
                database.close();
                throw e;
            }
            LOG.info("Workflows run on Hatchet at {} (tenant {}, engine {})", hatchetSettings.hostPort(),
                    hatchetSettings.claims().tenantId(), engineVersion);
            // runs are created where uploads are taken: only those processes hand them to Hatchet
            if (role.servesApi()) {
                relay = new HatchetRunRelay(hatchet, hatchetRuns, hatchetSettings.startMode(), database.dataSource(),
                        settings.enginePoll());
            }
        } else if (runsSteps) {
            worker = Optional.of(new EmbeddedWorker(runs, Workflows.all(), metrics, database.dataSource(),
                    workerName(workerNumber), settings.workerSlots(), settings.lease(), settings.enginePoll(),
                    Duration.ofSeconds(1)));
        }

        WorkerStore workers = new WorkerStore(sql);
        Optional<WorkerHeartbeat> heartbeat = worker.map(steps ->
                new WorkerHeartbeat(workers, steps, engine, settings.workerSlots()));
        Wiring wiring = new Wiring(settings, database, worker, hatchetClient, relay, heartbeat);
        LenderIngest lenderIngest = new LenderIngest(sql, lenders, documents, runs, settings.maxUploadBytes());
        ApplicationIngest applicationIngest = new ApplicationIngest(sql, applications, documents, runs,
                settings.maxUploadBytes(), clock);
        RunApi runApi = new RunApi(runs);
        ReaderProcess reader = new ReaderProcess(settings.ocrTessdata(), settings.ocrLanguage(), settings.ocrDpi(),
                settings.ocrMinTextChars(), settings.documentLimits(), settings.readerHeapMb());
        Map<String, Object> beans = wiring.beans;
        DocumentModel llm = settings.llm() == null ? DocumentModel.NONE
                : wiring.llmExtractor(settings.llm(), clock, metrics);
        beans.put("lenderProcessing", new LenderProcessingSteps(lenders, documents, reader, settings.documentLimits(),
                new RuleCriteriaExtractor(), llm, metrics));
        beans.put("loanMatching", new LoanMatchingSteps(applications, matches, documents, reader,
                new RuleApplicationExtractor(), llm, new MatchingEngine(), clock, metrics));
        beans.put("matchResults", new MatchResultsAggregation());
        beans.put("metricsRegistry", meterRegistry);
        beans.put("lenderApi", new LenderApi(lenderIngest, lenders, documents, runApi));
        beans.put("applicationApi", new ApplicationApi(applicationIngest, applications, matches, runApi));
        beans.put("runApi", runApi);
        beans.put("operationsApi", new OperationsApi(new RunHistory(sql), workers,
                WorkerHeartbeat.EVERY.multipliedBy(3)));
        beans.put("criteriaHistoryApi", new CriteriaHistoryApi(lenders, new CriteriaHistory(sql)));
        beans.put("documentApi", new DocumentApi(documents));
        beans.put("consoleAssets", new ConsoleAssets());
        beans.put("healthApi", new HealthApi(database, worker, engine, engineVersion, relay::problem, ocr,
                settings.llm()));
        beans.put("httpReply", new HttpReply());
        beans.put("apiRequestValidator", new ApiRequestValidator());
        beans.put("fileDrop", new FileDrop(lenderIngest, applicationIngest, settings.maxUploadBytes()));
        return wiring;
    }

    /** The model beans the llm.* routes use, and the extractor that sends documents through those routes. */
    private LlmExtractor llmExtractor(LlmSettings llm, Clock clock, ProductMetrics metrics) {
        TokenTally tally = new TokenTally();
        beans.put("criteriaChatModel", OpenAiModels.forPurpose(llm, CriteriaTarget.PURPOSE, "lender_criteria",
                tally, clock));
        beans.put("applicationChatModel", OpenAiModels.forPurpose(llm, ApplicationTarget.PURPOSE, "loan_application",
                tally, clock));
        LOG.info("Documents are read by {} at {}, the rule extractor standing by", llm.model(), llm.baseUrl());
        return new LlmExtractor(llmChat, tally, llm.model(), llm.partChars(), llm.apiKey(), metrics);
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

    /** Hands every bean to Camel's registry under the name the routes use. */
    public void bindInto(BiConsumer<String, Object> registry) {
        beans.forEach(registry);
    }

    /** Once Camel runs: the HTTP gate in front of the routes, and the worker (its steps call the routes). */
    public synchronized void afterCamelStarted(CamelContext context) {
        if (!httpGateInstalled) {
            new HttpGate(new ApiKeyCheck(settings.apiKey()), settings.httpIdleTimeout(), settings.maxUploadBytes())
                    .install(context, settings.httpPort());
            httpGateInstalled = true;
        }
        llmChat.connect(context);
        relay.start();
        worker.filter(steps -> !steps.isRunning()).ifPresent(steps -> {
            Workflows.checkRoutes(context, Workflows.all());
            steps.start(new StepRunner(context.createProducerTemplate(), settings.workerSlots()));
            heartbeat.ifPresent(WorkerHeartbeat::start);
        });
    }

    /**
     * For a process of its own: a worker Hatchet refuses to register again (after it forgot the worker)
     * ends the process with one line, as a refusal at start does, so that its supervisor sees it.
     */
    public void exitWhenHatchetRefusesTheWorker() {
        if (worker.orElse(null) instanceof HatchetWorker hatchetWorker) {
            hatchetWorker.onRefusal(reason -> {
                System.err.println("kaaj: stopping: " + reason);
                System.exit(1);
            });
        }
    }

    public synchronized void stopWorker() {
        worker.filter(StepWorker::isRunning).ifPresent(steps -> {
            heartbeat.ifPresent(WorkerHeartbeat::stop);
            steps.stop(settings.stopGrace());
        });
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        stopWorker();
        relay.stop();
        hatchet.ifPresent(HatchetClient::close);
        database.close();
    }
}
