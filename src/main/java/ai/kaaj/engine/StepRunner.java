package ai.kaaj.engine;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.resilience4j.timelimiter.TimeLimiter;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

import java.time.Duration;
import java.time.Instant;
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
