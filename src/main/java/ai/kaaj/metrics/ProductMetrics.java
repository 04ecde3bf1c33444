package ai.kaaj.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * The product's own meters, next to Camel's route meters in the same registry (and so at /metrics):
 * pages read by method, criteria by extractor, match results by status, runs and steps by outcome.
 */
public final class ProductMetrics {

    private final MeterRegistry registry;

    public ProductMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Pages read from documents, by how: text layer or OCR. */
    public void pagesRead(String method, int pages) {
        Counter.builder("kaaj.document.pages").description("Document pages read, by method (text or ocr)")
                .tag("method", method).register(registry).increment(pages);
    }

    public void criteriaExtracted(String source) {
        Counter.builder("kaaj.criteria.extracted").description("Lender criteria extracted, by extractor")
                .tag("source", source).register(registry).increment();
    }

    /** One document read by the model: which extractor's result was used, and the tokens it cost. */
    public void llmExtraction(String purpose, String source, long promptTokens, long completionTokens) {
        Counter.builder("kaaj.llm.extractions").description("Documents read with the model, by result source")
                .tag("purpose", purpose).tag("source", source).register(registry).increment();
        Counter.builder("kaaj.llm.tokens").description("Model tokens spent on extraction")
                .tag("purpose", purpose).tag("kind", "prompt").register(registry).increment(promptTokens);
        Counter.builder("kaaj.llm.tokens").description("Model tokens spent on extraction")
                .tag("purpose", purpose).tag("kind", "completion").register(registry).increment(completionTokens);
    }

    public void matchResults(String status, long count) {
        Counter.builder("kaaj.matches").description("Lender match results, by status")
                .tag("status", status).register(registry).increment(count);
    }

    public void runFinished(String workflow, String status) {
        Counter.builder("kaaj.workflow.runs").description("Workflow runs finished, by workflow and status")
                .tag("workflow", workflow).tag("status", status).register(registry).increment();
    }

    public void stepFinished(String workflow, String step, String outcome, Duration duration) {
        Timer.builder("kaaj.workflow.step.duration").description("Workflow step attempts, by outcome")
                .tag("workflow", workflow).tag("step", step).tag("outcome", outcome).register(registry)
                .record(duration);
    }
}
