package ai.kaaj.pipeline;

import ai.kaaj.documents.PageText;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.engine.StepFailure;
import ai.kaaj.engine.StepInput;
import ai.kaaj.extraction.ApplicationValidator;
import ai.kaaj.extraction.RuleApplicationExtractor;
import ai.kaaj.extraction.llm.ApplicationTarget;
import ai.kaaj.extraction.llm.DocumentModel;
import ai.kaaj.extraction.llm.LlmExtractor.Extracted;
import ai.kaaj.matching.MatchingEngine;
import ai.kaaj.metrics.ProductMetrics;
import ai.kaaj.matching.Ranking;
import ai.kaaj.store.ApplicationStore;
import ai.kaaj.store.ApplicationStore.ApplicationRow;
import ai.kaaj.store.DocumentStore;
import ai.kaaj.store.MatchStore;
import ai.kaaj.store.MatchStore.LenderToMatch;
import ai.kaaj.store.MatchStore.MatchRow;
import com.fasterxml.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The loan-matching steps. calculate-matches is a Camel split over the lenders (see the route):
 * tasks() makes one task per lender, evaluate() runs in parallel, saveResults() writes them all.
 */
public final class LoanMatchingSteps {

    // Operators grep the engine's log for what the workers do.
    private static final Logger LOG = LoggerFactory.getLogger("ai.kaaj.engine");
    private static final TypeReference<List<CriterionCheck>> CHECKS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Evidence>> EVIDENCE = new TypeReference<>() {
    };

    /** One lender to evaluate for one application. */
    public record MatchTask(LoanApplication application, LenderToMatch lender, LocalDate today) {
    }

    /** The tasks of one calculate-matches step. */
    public record MatchJob(long applicationId, List<MatchTask> tasks) {
    }

    private final ApplicationStore applications;
    private final MatchStore matches;
    private final DocumentStore documents;
    private final ReaderProcess reader;
    private final RuleApplicationExtractor applicationExtractor;
    private final DocumentModel llm;
    private final ApplicationTarget applicationTarget;
    private final MatchingEngine engine;
    private final Clock clock;
    private final ProductMetrics metrics;

    /** llm is DocumentModel.NONE when no model is configured: the rule extractor alone reads PDF applications. */
    public LoanMatchingSteps(ApplicationStore applications, MatchStore matches, DocumentStore documents,
                             ReaderProcess reader, RuleApplicationExtractor applicationExtractor, DocumentModel llm,
                             MatchingEngine engine, Clock clock, ProductMetrics metrics) {
        this.llm = llm;
        this.applicationTarget = new ApplicationTarget(clock);
        this.metrics = metrics;
        this.applications = applications;
        this.matches = matches;
        this.documents = documents;
        this.reader = reader;
        this.applicationExtractor = applicationExtractor;
        this.engine = engine;
        this.clock = clock;
    }

    public Map<String, Object> prepareMatching(StepInput in) {
        long applicationId = in.inputLong("application_id");
        ApplicationRow application = find(applicationId);
        LOG.info("Matching application ID: {}", applicationId);
        applications.markMatching(applicationId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("application_id", applicationId);
        if (application.application() == null) {
            out.putAll(readFromDocument(application, in.deadline()));
        }
        out.put("lenders", matches.preparePending(applicationId));
        return out;
    }

    /**
     * A PDF application: its pages' text (OCR where needed), then the fields read from it, by the model
     * when one is configured (the rules filling what it leaves null), else by the rules. Returns which
     * extractor read it and, for the model, what it cost.
     */
    private Map<String, Object> readFromDocument(ApplicationRow application, Instant stepDeadline) {
        DocumentStore.Document document = documents.find(application.documentId())
                .orElseThrow(() -> new StepFailure("document " + application.documentId() + " not found"));
        List<PageText> pages = reader.pages(document.content(), document.fileName());
        documents.savePages(document.id(), pages);
        String text = pages.stream().map(PageText::text).collect(Collectors.joining("\f"));
        LoanApplication fields = applicationExtractor.extract(text);
        Extracted<LoanApplication> extracted = llm.extract(applicationTarget, pages, fields, stepDeadline);
        fields = extracted.value();
        Map<String, Object> read = new LinkedHashMap<>();
        extracted.describeIn(read);
        List<String> errors = ApplicationValidator.validate(fields, LocalDate.now(clock));
        if (!errors.isEmpty()) {
            throw new StepFailure("the fields read from " + document.fileName() + " are not valid: "
                    + String.join("; ", errors));
        }
        applications.saveFields(application.id(), Json.write(ApplicationValidator.normalise(fields)));
        return read;
    }

    public MatchJob tasks(StepInput in) {
        long applicationId = in.inputLong("application_id");
        LoanApplication application = Json.read(find(applicationId).application(), LoanApplication.class);
        LocalDate today = LocalDate.now(clock);
        List<MatchTask> tasks = matches.lendersToMatch(applicationId).stream()
                .map(lender -> new MatchTask(application, lender, today))
                .toList();
        return new MatchJob(applicationId, tasks);
    }

    public MatchRow evaluate(MatchTask task) {
        LenderToMatch lender = task.lender();
        LenderCriteria criteria = lender.criteria() == null ? null : Json.read(lender.criteria(), LenderCriteria.class);
        Map<String, Evidence> evidence = lender.evidence() == null ? Map.of() : Json.read(lender.evidence(), EVIDENCE);
        MatchResult result = engine.evaluate(task.application(), lender.lenderId(), lender.lenderName(), criteria,
                evidence, lender.reviewRequired(), task.today());
        return new MatchRow(lender.lenderId(), lender.lenderName(), result.status().name(), result.program(),
                result.score(), null, Json.write(result.criteria()), lender.criteriaVersion(), result.error(),
                result.reviewRequired());
    }

    /** One lender's failure is that lender's error result; the other lenders are unaffected. */
    public MatchRow evaluationError(MatchTask task, Exception error) {
        LOG.warn("Evaluating lender {} failed: {}", task.lender().lenderId(), error.toString());
        return new MatchRow(task.lender().lenderId(), task.lender().lenderName(), MatchResult.Status.error.name(),
                null, null, null, null, task.lender().criteriaVersion(),
                "evaluation failed: " + (error.getMessage() == null ? error.toString() : error.getMessage()),
                task.lender().reviewRequired());
    }

    /**
     * Writes what the split aggregated. With no lenders to split over, Camel hands back the job itself:
     * that is an empty result.
     */
    public Map<String, Object> saveResults(long applicationId, Object aggregated) {
        List<MatchRow> results = aggregated instanceof MatchResultsAggregation.Collected collected
                ? collected.rows() : List.of();
        matches.saveResults(applicationId, results);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("application_id", applicationId);
        out.put("evaluated", results.size());
        out.put("by_status", countByStatus(results.stream().map(MatchRow::status).toList()));
        return out;
    }

    public Map<String, Object> finalizeMatching(StepInput in) {
        long applicationId = in.inputLong("application_id");
        List<MatchResult> ranked = Ranking.rank(matches.results(applicationId, null).stream()
                .map(LoanMatchingSteps::toResult).toList());
        Map<Long, Integer> ranks = new LinkedHashMap<>();
        ranked.forEach(result -> ranks.put(result.lenderId(), result.rank()));
        matches.saveRanks(applicationId, ranks);
        applications.markMatched(applicationId);
        LOG.info("Application ID: {} matched against {} lenders", applicationId, ranked.size());
        Map<String, Long> byStatus = countByStatus(ranked.stream().map(r -> r.status().name()).toList());
        byStatus.forEach(metrics::matchResults);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("application_id", applicationId);
        out.put("by_status", byStatus);
        return out;
    }

    public Map<String, Object> onFailure(StepInput in) {
        long applicationId = in.inputLong("application_id");
        applications.markFailed(applicationId, in.error());
        LOG.warn("Application ID: {} failed: {}", applicationId, in.error());
        return Map.of("application_id", applicationId);
    }

    public static MatchResult toResult(MatchRow row) {
        List<CriterionCheck> checks = row.criteria() == null ? List.of() : Json.read(row.criteria(), CHECKS);
        return new MatchResult(row.lenderId(), row.lenderName(), MatchResult.Status.valueOf(row.status()),
                row.program(), row.score(), row.rank(), row.reviewRequired(), MatchResult.reviewNote(row.reviewRequired()),
                checks, row.error());
    }

    private static Map<String, Long> countByStatus(List<String> statuses) {
        Map<MatchResult.Status, Long> counts = new EnumMap<>(MatchResult.Status.class);
        statuses.forEach(status -> counts.merge(MatchResult.Status.valueOf(status), 1L, Long::sum));
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((status, count) -> out.put(status.name(), count));
        return out;
    }

    private ApplicationRow find(long applicationId) {
        return applications.find(applicationId)
                .orElseThrow(() -> new StepFailure("application " + applicationId + " not found"));
    }
}
