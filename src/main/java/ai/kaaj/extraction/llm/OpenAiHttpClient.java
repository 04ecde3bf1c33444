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
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            try {
                response = send(request);
            } catch (Unreachable e) {
                if (attempt >= maxRetries) {
                    throw new HttpException(0, "cannot reach the model server" + (attempt > 0 ? " after " + attempt
                            + " retries" : "") + ": " + e.getMessage());
                }
                sleep(delay(attempt, null));
                continue;
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return SuccessfulHttpResponse.builder().statusCode(status).headers(response.headers().map())
                        .body(response.body()).build();
            }
            boolean retryable = status == 429 || status >= 500;
            if (!retryable || attempt >= maxRetries) {
                throw new HttpException(status, describe(status, response.body(), attempt));
            }
            Duration delay = delay(attempt, response.headers().firstValue("Retry-After").orElse(null));
            if (delay.compareTo(maxDelay) > 0) {
                throw new HttpException(status, "the server asked to wait " + delay.toSeconds()
                        + " s (Retry-After), longer than the " + maxDelay.toSeconds() + " s this service waits");
            }
            sleep(delay);
        }
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
        // no ceiling here: a wait past maxDelay is refused by the caller, not shortened
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

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted while waiting to retry the model");
        }
    }

    /** Extraction never streams; langchain4j's streaming model is not used with this client. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not used for extraction");
    }
}
