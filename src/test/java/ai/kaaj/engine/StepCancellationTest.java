package ai.kaaj.engine;

import ai.kaaj.documents.ReaderProcess;
import ai.kaaj.extraction.GuidelinePdfs;
import ai.kaaj.extraction.RuleCriteriaExtractor;
import ai.kaaj.support.DefaultSettings;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Cancelled means stopped: a step that runs past its timeout stops using CPU within seconds, whether
 * it was matching text or reading a document in a child process, and the step pool never grows past
 * the worker's slots, even when a step ignores its cancellation.
 */
class StepCancellationTest extends CamelTestSupport {

    private static final WorkflowDefinition FLOW = new WorkflowDefinition("cancel-flow", "Cancel Flow", "cancel:event",
            List.of(new StepDefinition("extract", List.of(), Duration.ofSeconds(1), 0),
                    new StepDefinition("read", List.of(), Duration.ofSeconds(3), 0),
                    new StepDefinition("stubborn", List.of(), Duration.ofMillis(200), 0)),
            new StepDefinition("on-failure", List.of(), Duration.ofSeconds(1), 0));

    /** Text the extractor takes far longer than the waits below over: lines of digits, 6 million characters. */
    private static final String HOSTILE_TEXT = ("1".repeat(200_000) + "\n").repeat(30);
    /** "Within seconds". */
    private static final Duration STOPPED_WITHIN = Duration.ofSeconds(5);

    @Override
    protected RouteBuilder createRouteBuilder() throws Exception {
        ReaderProcess reader = readerOf(DefaultSettings.load());
        byte[] slowScan = GuidelinePdfs.scannedPdf("Minimum FICO: 700\f".repeat(20));
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:cancel-flow.extract").process(exchange ->
                        exchange.getMessage().setBody(new RuleCriteriaExtractor().extract(HOSTILE_TEXT)));
                from("direct:cancel-flow.read").process(exchange -> exchange.getMessage().setBody(
                        reader.pages(slowScan, "slow-scan.pdf")));
                from("direct:cancel-flow.stubborn").process(exchange -> {
                    long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // ignores interrupts, as non-cooperating code does
                    }
                });
            }
        };
    }

    private static ReaderProcess readerOf(ai.kaaj.config.Settings settings) {
        return new ReaderProcess(settings.ocrTessdata(), settings.ocrLanguage(), settings.ocrDpi(),
                settings.ocrMinTextChars(), settings.documentLimits(), settings.readerHeapMb());
    }

    private static StepInput input() {
        return new StepInput("run-1", JsonNodeFactory.instance.objectNode(), Map.of(), null);
    }

    @Test
    void aTimedOutExtractionStopsItsThread() throws Exception {
        try (StepRunner runner = new StepRunner(template, 2)) {
            assertThatThrownBy(() -> runner.run(FLOW, FLOW.step("extract").orElseThrow(), input()))
                    .isInstanceOf(StepRunner.StepTimeoutException.class)
                    .hasMessage("extract timed out after 1 s and was cancelled");
            awaitNoThreadRunning("ai.kaaj.extraction.");
        }
    }

    @Test
    void aTimedOutReadingKillsItsReaderProcess() throws Exception {
        try (StepRunner runner = new StepRunner(template, 2)) {
            CompletableFuture<String> step = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run(FLOW, FLOW.step("read").orElseThrow(), input());
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            ProcessHandle reader = awaitReaderProcess();
            assertThatThrownBy(step::join).hasCauseInstanceOf(StepRunner.StepTimeoutException.class);
            assertThat(reader.onExit()).as("the reader process is killed")
                    .succeedsWithin(STOPPED_WITHIN);
            awaitNoThreadRunning("ai.kaaj.documents.");
        }
    }

    private static ProcessHandle awaitReaderProcess() {
        return await("a reader process").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .until(() -> ProcessHandle.current().children().filter(ProcessHandle::isAlive).findFirst(),
                        Optional::isPresent).orElseThrow();
    }

    @Test
    void theStepPoolNeverOutgrowsTheSlots() throws Exception {
        try (StepRunner runner = new StepRunner(template, 1)) {
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> runner.run(FLOW, FLOW.step("stubborn").orElseThrow(), input()))
                        .isInstanceOf(StepRunner.StepTimeoutException.class);
            }
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("kaaj-step")))
                    .as("one slot, one step thread, though every step ignored its cancellation").hasSize(1);
        }
    }

    /** Waits until no step thread is executing code of the given package. */
    private static void awaitNoThreadRunning(String packagePrefix) {
        await().atMost(STOPPED_WITHIN).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(busyStepThreads(packagePrefix))
                        .as("step threads still in %s after their cancellation", packagePrefix).isEmpty());
    }

    private static List<Thread> busyStepThreads(String packagePrefix) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey().getName().equals("kaaj-step"))
                .filter(entry -> Arrays.stream(entry.getValue())
                        .anyMatch(frame -> frame.getClassName().startsWith(packagePrefix)))
                .map(Map.Entry::getKey).toList();
    }
}
