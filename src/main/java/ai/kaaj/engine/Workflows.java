package ai.kaaj.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two workflows, defined once: the embedded engine and the Hatchet bridge both read them.
 * Timeouts are the operators' guide's: every lender step 120 s; matching 60 s, 300 s, 30 s.
 */
public final class Workflows {

    public static final String LENDER_DOCUMENT_UPLOADED = "lender:document:uploaded";
    public static final String LOAN_APPLICATION_UPLOADED = "loan:application:uploaded";

    private static final Duration LENDER_STEP_TIMEOUT = Duration.ofSeconds(120);

    public static final WorkflowDefinition LENDER_PROCESSING = new WorkflowDefinition(
            "lender-processing", "Lender Processing", LENDER_DOCUMENT_UPLOADED,
            List.of(
                    new StepDefinition("fetch-lender", List.of(), LENDER_STEP_TIMEOUT, 3),
                    new StepDefinition("extract-text", List.of("fetch-lender"), LENDER_STEP_TIMEOUT, 2),
                    new StepDefinition("extract-criteria", List.of("extract-text"), LENDER_STEP_TIMEOUT, 2),
                    new StepDefinition("validate-enrich", List.of("extract-criteria"), LENDER_STEP_TIMEOUT, 2),
                    new StepDefinition("update-lender", List.of("validate-enrich"), LENDER_STEP_TIMEOUT, 3)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(30), 3));

    public static final WorkflowDefinition LOAN_MATCHING = new WorkflowDefinition(
            "loan-matching", "Loan Matching", LOAN_APPLICATION_UPLOADED,
            List.of(
                    new StepDefinition("prepare-matching", List.of(), Duration.ofSeconds(60), 3),
                    new StepDefinition("calculate-matches", List.of("prepare-matching"), Duration.ofSeconds(300), 2),
                    new StepDefinition("finalize-matching", List.of("calculate-matches"), Duration.ofSeconds(30), 3)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(30), 3));

    private static final Map<String, WorkflowDefinition> BY_NAME = Map.of(
            LENDER_PROCESSING.name(), LENDER_PROCESSING,
            LOAN_MATCHING.name(), LOAN_MATCHING);

    private Workflows() {
    }

    /** What a run of the workflow is busy with, as errors tell users: "... stopped while reading this document". */
    public static String doing(WorkflowDefinition workflow) {
        if (workflow.name().equals(LENDER_PROCESSING.name())) {
            return "reading this document";
        }
        return workflow.name().equals(LOAN_MATCHING.name()) ? "matching this application" : "running this workflow";
    }

    public static List<WorkflowDefinition> all() {
        return List.of(LENDER_PROCESSING, LOAN_MATCHING);
    }

    public static Optional<WorkflowDefinition> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }
}
