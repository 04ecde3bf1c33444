package ai.kaaj.extraction.llm;

import ai.kaaj.engine.Backoff;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient.Version;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP transport under langchain4j's OpenAI model. It exists for what langchain4j's own retries
 * cannot do: read Retry-After. 429 and 5xx answers are retried with exponential backoff and full
 * jitter, waiting at least what Retry-After asks; a wait longer than maxDelay gives up at once, so a
 * rate-limited document falls back to the rules instead of stalling its step. A refused connection
 * is retried the same way. A request that runs past the timeout is not retried: a model
 * that slow would most likely be slow again.
 */
public final class OpenAiHttpClient implements HttpClient {

    private static final Duration FIRST_DELAY = Duration.ofMillis(500);

    private final java.net.http.HttpClient http;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration maxDelay;
    private final Clock clock;
    private final String apiKey;

    /** The key is only used to keep it out of error messages: some servers echo it back. */
    public OpenAiHttpClient(Duration timeout, int maxRetries, Duration maxDelay, Clock clock, String apiKey) {
        this.apiKey = apiKey;
        this.http = java.net.http.HttpClient.newBuilder().version(Version.HTTP_1_1)
                .connectTimeout(timeout).build();
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.maxDelay = maxDelay;
        this.clock = clock;
    }

    /** What langchain4j's OpenAI model builder takes: it calls build() once per model. */
    public HttpClientBuilder asBuilder() {
        OpenAiHttpClient client = this;
        return new HttpClientBuilder() {
            @Override
            public Duration connectTimeout() {
                return timeout;
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration ignored) {
                return this;
            }

            @Override
            public Duration readTimeout() {
                return timeout;
            }

            @Override
            public HttpClientBuilder readTimeout(Duration ignored) {
                return this;
            }

            @Override
            public HttpClient build() {
                return client;
            }
        };
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        Retry retry = Retry.of("model", RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(maxRetries + 1)
                .retryExceptions(Unreachable.class)
                .retryOnResult(response -> retryable(response.statusCode()) && waitAsked(response) <= maxDelay.toMillis())
                .intervalBiFunction((attempt, outcome) -> delay(attempt - 1, outcome.isRight()
                        ? outcome.get().headers().firstValue("Retry-After").orElse(null) : null).toMillis())
                .build());
        AtomicInteger attempts = new AtomicInteger();
        HttpResponse<String> response;
        try {
            response = retry.executeSupplier(() -> {
                attempts.incrementAndGet();
                return send(request);
            });
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                // the step was cancelled while waiting to retry (Resilience4j then throws the last failure, if any)
                throw new TimeoutException("interrupted while waiting to retry the model");
            }
            if (e instanceof Unreachable) {
                int retries = attempts.get() - 1;
                throw new HttpException(0, "cannot reach the model server" + (retries > 0 ? " after " + retries
                        + " retries" : "") + ": " + e.getMessage());
            }
            throw e;
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return SuccessfulHttpResponse.builder().statusCode(status).headers(response.headers().map())
                    .body(response.body()).build();
        }
        long asked = waitAsked(response);
        if (retryable(status) && asked > maxDelay.toMillis()) {
            throw new HttpException(status, "the server asked to wait " + asked / 1000
                    + " s (Retry-After), longer than the " + maxDelay.toSeconds() + " s this service waits");
        }
        throw new HttpException(status, describe(status, response.body(), attempts.get() - 1));
    }

    private static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    /** Milliseconds the answer's Retry-After asks to wait; 0 when it asks nothing. */
    private long waitAsked(HttpResponse<String> response) {
        Duration asked = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
        return asked == null ? 0 : asked.toMillis();
    }

    private HttpResponse<String> send(HttpRequest request) {
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(timeout)
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
        request.headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("host")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new TimeoutException("the model did not answer within " + timeout.toSeconds() + " s");
        } catch (ConnectException e) {
            throw new Unreachable(e.toString());
        } catch (IOException e) {
            // the request may have reached the model (and be billed): not sent again
            throw new HttpException(0, "the connection to the model server failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting for the model");
        }
    }

    /** No connection could be made (refused): retried like a 5xx answer, as nothing was sent. */
    private static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** Exponential backoff with full jitter, but never less than the server's Retry-After. */
    Duration delay(int attempt, String retryAfter) {
        // no ceiling here: an answer asking to wait past maxDelay is not retried
        Duration jittered = Backoff.jittered(FIRST_DELAY, attempt, Duration.ofMillis(Long.MAX_VALUE));
        Duration asked = retryAfter(retryAfter);
        return asked != null && asked.compareTo(jittered) > 0 ? asked : jittered;
    }

    /** Retry-After is either whole seconds or an HTTP date. */
    Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), at.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    private String describe(int status, String body, int retries) {
        String text = body == null ? "" : body.strip();
        if (apiKey != null && !apiKey.isEmpty()) {
            text = text.replace(apiKey, "[OPENAI_API_KEY]");
        }
        if (text.length() > 300) {
            text = text.substring(0, 300) + "…";
        }
        return "HTTP " + status + (retries > 0 ? " after " + retries + " retries" : "") + ": " + text;
    }

    /** Extraction never streams; langchain4j's streaming model is not used with this client. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not used for extraction");
    }
}
