package ai.kaaj.pipeline;

import ai.kaaj.documents.PageText;
import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.domain.CriterionCheck;
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
import ai.kaaj.pipeline.ActiveLenders.Lender;
import ai.kaaj.store.MatchStore.MatchRow;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The loan-matching steps. calculate-matches is a Camel split over the lenders (see the route):
 * slices() cuts the active lenders into slices, evaluate() runs on each in parallel, saveResults() ranks the
 * results in memory and writes them all, ranked, in one statement.
 */
public final class LoanMatchingSteps {

    // Operators grep the engine's log for what the workers do.
    private static final Logger LOG = LoggerFactory.getLogger("ai.kaaj.engine");
    private static final TypeReference<List<CriterionCheck>> CHECKS = new TypeReference<>() {
    };

    /**
     * How many lenders one item of the split evaluates. A split item costs Camel an exchange (and the metrics
     * their events) worth dozens of evaluations, and handing it to the pool costs more: a few hundred lenders
     * are one slice (the applications matched at the same time keep the cores busy), thousands are split
     * across the pool.
     */
    static final int SLICE = 500;

    /** Some lenders to evaluate for one application, one item of the split. */
    public record MatchSlice(LoanApplication application, List<Lender> lenders, LocalDate today) {
    }

    /** One lender's result, its checks already written as the JSON they are stored as. */
    public record Evaluated(MatchResult result, int criteriaVersion, String checks) {
    }

    /** prepare-matching's output: the application, and for a PDF application what read it and what that cost. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Prepared(long applicationId, String source, Map<String, Object> llm) {
    }

    /** calculate-matches' output: how many lenders were evaluated and ranked, and how they came out. */
    public record Calculated(long applicationId, int evaluated, Map<String, Long> byStatus) {
    }

    /** finalize-matching's output. */
    public record Finalized(long applicationId, Map<String, Long> byStatus) {
    }

    /** on-failure's output: the application marked failed. */
    public record ApplicationFailed(long applicationId) {
    }

    private final ApplicationStore applications;
    private final MatchStore matches;
    private final ActiveLenders lenders;
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
        this.lenders = new ActiveLenders(matches);
        this.documents = documents;
        this.reader = reader;
        this.applicationExtractor = applicationExtractor;
        this.engine = engine;
        this.clock = clock;
    }

    /**
     * Marks the application matching, reads its fields when it came as a PDF, and drops the results of an earlier
     * matching, so that none shows while this one runs.
     */
    public Prepared prepareMatching(StepInput in) {
        long applicationId = in.inputLong("application_id");
        ApplicationRow application = find(applicationId);
        LOG.info("Matching application ID: {}", applicationId);
        applications.markMatching(applicationId);
        matches.clearResults(applicationId);
        if (application.application() != null) {
            return new Prepared(applicationId, null, null);
        }
        Extracted<LoanApplication> read = readFromDocument(application, in.deadline());
        return new Prepared(applicationId, read.source(), read.report());
    }

    /**
     * A PDF application: its pages' text (OCR where needed), then the fields read from it, by the model
     * when one is configured (the rules filling what it leaves null), else by the rules. Returns which
     * extractor read it and, for the model, what it cost.
     */
    private Extracted<LoanApplication> readFromDocument(ApplicationRow application, Instant stepDeadline) {
        DocumentStore.Document document = documents.find(application.documentId())
                .orElseThrow(() -> new StepFailure("document " + application.documentId() + " not found"));
        List<PageText> pages = reader.pages(document.content(), document.fileName());
        documents.savePages(document.id(), pages);
        String text = pages.stream().map(PageText::text).collect(Collectors.joining("\f"));
        LoanApplication byRules = applicationExtractor.extract(text);
        Extracted<LoanApplication> read = llm.extract(applicationTarget, pages, byRules, stepDeadline);
        LoanApplication fields = read.value();
        List<String> errors = ApplicationValidator.validate(fields, LocalDate.now(clock));
        if (!errors.isEmpty()) {
            throw new StepFailure("the fields read from " + document.fileName() + " are not valid: "
                    + String.join("; ", errors));
        }
        applications.saveFields(application.id(), Json.write(ApplicationValidator.normalise(fields)));
        return read;
    }

    /** The active lenders in slices, each with the application to evaluate it against. */
    public List<MatchSlice> slices(StepInput in) {
        long applicationId = in.inputLong("application_id");
        LoanApplication application = Json.read(find(applicationId).application(), LoanApplication.class);
        LocalDate today = LocalDate.now(clock);
        List<Lender> active = lenders.current();
        List<MatchSlice> slices = new ArrayList<>();
        for (int from = 0; from < active.size(); from += SLICE) {
            slices.add(new MatchSlice(application, active.subList(from, Math.min(active.size(), from + SLICE)), today));
        }
        return slices;
    }

    /** Every lender of the slice; one lender's failure is that lender's error result, the others are unaffected. */
    public List<Evaluated> evaluate(MatchSlice slice) {
        List<Evaluated> results = new ArrayList<>(slice.lenders().size());
        for (Lender lender : slice.lenders()) {
            try {
                results.add(evaluate(slice.application(), lender, slice.today()));
            } catch (RuntimeException e) {
                results.add(evaluationError(lender, e));
            }
        }
        return results;
    }

    private Evaluated evaluate(LoanApplication application, Lender lender, LocalDate today) {
        if (lender.unreadable() != null) {
            throw new StepFailure(lender.unreadable());
        }
        MatchResult result = engine.evaluate(application, lender.lenderId(), lender.lenderName(),
                lender.criteria(), lender.evidence(), lender.reviewRequired(), today);
        return new Evaluated(result, lender.criteriaVersion(), Json.write(result.criteria()));
    }

    /** A slice that failed as a whole (not one of its lenders): each of its lenders gets the error as its result. */
    public List<Evaluated> evaluationErrors(MatchSlice slice, Exception error) {
        return slice.lenders().stream().map(lender -> evaluationError(lender, error)).toList();
    }

    private static Evaluated evaluationError(Lender lender, Exception error) {
        LOG.warn("Evaluating lender {} failed: {}", lender.lenderId(), error.toString());
        MatchResult result = new MatchResult(lender.lenderId(), lender.lenderName(), MatchResult.Status.error, null,
                null, null, lender.reviewRequired(), MatchResult.reviewNote(lender.reviewRequired()), null,
                "evaluation failed: " + (error.getMessage() == null ? error.toString() : error.getMessage()));
        return new Evaluated(result, lender.criteriaVersion(), null);
    }

    /**
     * Ranks what the split aggregated and writes every result with its rank in one statement. With no lenders
     * to split over, Camel hands back the empty list of slices: that is an empty result.
     */
    public Calculated saveResults(StepInput in, Object aggregated) {
        long applicationId = in.inputLong("application_id");
        List<Evaluated> evaluated = aggregated instanceof MatchResultsAggregation.Collected collected
                ? collected.results() : List.of();
        Map<Long, Evaluated> byLender = new HashMap<>();
        List<MatchResult> results = new ArrayList<>(evaluated.size());
        for (Evaluated one : evaluated) {
            byLender.put(one.result().lenderId(), one);
            results.add(one.result());
        }
        List<MatchRow> rows = new ArrayList<>(evaluated.size());
        for (MatchResult ranked : Ranking.rank(results)) {
            Evaluated one = byLender.get(ranked.lenderId());
            rows.add(new MatchRow(ranked.lenderId(), ranked.lenderName(), ranked.status().name(), ranked.program(),
                    ranked.score(), ranked.rank(), one.checks(), one.criteriaVersion(), ranked.error(),
                    ranked.reviewRequired()));
        }
        matches.saveRanked(applicationId, rows);
        return new Calculated(applicationId, rows.size(),
                countByStatus(rows.stream().map(MatchRow::status).toList()));
    }

    /** The results are written and ranked: the application is matched. */
    public Finalized finalizeMatching(StepInput in) {
        long applicationId = in.inputLong("application_id");
        Map<String, Long> byStatus = in.parent("calculate-matches", Calculated.class).byStatus();
        applications.markMatched(applicationId);
        LOG.info("Application ID: {} matched against {} lenders", applicationId,
                byStatus.values().stream().mapToLong(Long::longValue).sum());
        byStatus.forEach(metrics::matchResults);
        return new Finalized(applicationId, byStatus);
    }

    public ApplicationFailed onFailure(StepInput in) {
        long applicationId = in.inputLong("application_id");
        applications.markFailed(applicationId, in.error());
        LOG.warn("Application ID: {} failed: {}", applicationId, in.error());
        return new ApplicationFailed(applicationId);
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
