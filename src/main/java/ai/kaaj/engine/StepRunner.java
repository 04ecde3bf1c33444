package ai.kaaj.engine;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls a step's Camel route with the step's JSON input and returns the route's JSON output,
 * cancelling (interrupting) it when it runs past the step's timeout. Both engines run steps through here,
 * on as many threads as the worker has slots: a cancelled step that does not stop holds its thread, and
 * the steps after it wait (and time out) rather than pile up threads that all burn CPU.
 */
public final class StepRunner implements AutoCloseable {

    /** The step ran past its timeout and was cancelled. */
    public static final class StepTimeoutException extends RuntimeException {
        public StepTimeoutException(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class.getPackageName());
    /** Between attempts of an on-failure step: 0.5 s, doubling. */
    private static final IntervalFunction ON_FAILURE_WAITS = Backoff.exponential(Duration.ofMillis(500),
            Duration.ofSeconds(10));

    private final ProducerTemplate producer;
    private final ThreadPoolExecutor executor;

    public StepRunner(ProducerTemplate producer, int slots) {
        this.producer = producer;
        this.executor = new ThreadPoolExecutor(slots, slots, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                DaemonThreads.named("kaaj-step"));
        executor.allowCoreThreadTimeOut(true);
    }

    /** Runs the step's route with the input as its body and returns the route's result as JSON text. */
    public String run(WorkflowDefinition workflow, StepDefinition step, StepInput input) throws Exception {
        // the engine's deadline when it gave one (Hatchet's timer starts at assignment), never a later one
        Instant ownDeadline = Instant.now().plus(step.timeout());
        StepInput timed = input.withDeadline(input.deadline() != null && input.deadline().isBefore(ownDeadline)
                ? input.deadline() : ownDeadline);
        long waitMillis = Math.max(0, Duration.between(Instant.now(), timed.deadline()).toMillis());
        Future<String> result = executor.submit(
                () -> toJson(producer.requestBody(workflow.routeUri(step), timed)));
        try {
            // Resilience4j's time limiter waits until the deadline, then cancels (interrupts) the route
            return TimeLimiter.of(Duration.ofMillis(waitMillis)).executeFutureSupplier(() -> result);
        } catch (TimeoutException e) {
            if (!result.isCancelled()) {
                throw e; // the route's own
            }
            throw new StepTimeoutException(step.name() + " timed out after " + describe(step.timeout())
                    + " and was cancelled");
        } catch (InterruptedException e) {
            result.cancel(true);
            throw e;
        } catch (Exception | Error e) {
            throw unwrap(e);
        }
    }

    /**
     * Runs the workflow's on-failure step, which records the run's error where users look (the lender or the
     * application), with the retries its route declares; false when every attempt failed (each is logged).
     */
    public boolean runOnFailure(WorkflowDefinition workflow, String runId, JsonNode input, String error) {
        StepDefinition onFailure = workflow.onFailure();
        Retry retry = Retry.of(workflow.name() + "." + onFailure.name(), RetryConfig.custom()
                .maxAttempts(onFailure.retries() + 1)
                .intervalFunction(ON_FAILURE_WAITS)
                .retryOnException(e -> !(e instanceof InterruptedException))
                .build());
        retry.getEventPublisher().onRetry(event -> LOG.warn("Run {}: on-failure step failed (attempt {}): {}",
                runId, event.getNumberOfRetryAttempts(), describe(event.getLastThrowable())));
        try {
            retry.executeCallable(() -> run(workflow, onFailure, new StepInput(runId, input, Map.of(), error)));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("Run {}: on-failure step failed (attempt {}), giving up: {}", runId, onFailure.retries() + 1,
                    describe(e));
            return false;
        }
    }

    /** An exception's message for users and logs, or its type when it has none. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String toJson(Object output) throws JsonProcessingException {
        return output == null ? "{}" : Json.MAPPER.writeValueAsString(output);
    }

    /** The exception a step's bean threw, without Camel's wrapping. */
    static Exception unwrap(Throwable thrown) {
        Throwable cause = thrown;
        while (cause instanceof CamelExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof Exception exception ? exception : new RuntimeException(cause);
    }

    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
