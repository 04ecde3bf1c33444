package ai.kaaj.api;

import ai.kaaj.domain.Json;
import ai.kaaj.ingest.RejectedInput;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the HTTP server does around the Camel routes, in Vert.x, before a request body is read: the API
 * key check (headers only: a key in the query string is not looked at), the idle timeout of request
 * bodies (a body that stops arriving is answered 408, its connection closed and its temp files deleted
 * at once), and JSON for everything Vert.x would otherwise answer itself (404 and 405 under /api, a body
 * over the limit, an unreadable form, failures).
 */
public final class HttpGate {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class.getPackageName());
    /** Probes call health; the OpenAPI document describes the API and holds no data, like the console's files. */
    private static final Set<String> OPEN_PATHS = Set.of("/api/health", "/api/health/ready", "/api/openapi.json");

    /** A route's path as a pattern ({id} matches one segment) and its method. */
    private record Endpoint(Pattern path, String method) {
    }

    private final ApiKeyCheck apiKey;
    private final Duration idleTimeout;
    private final long maxUploadBytes;
    private final List<Endpoint> endpoints = new ArrayList<>();

    public HttpGate(ApiKeyCheck apiKey, Duration idleTimeout, long maxUploadBytes) {
        this.apiKey = apiKey;
        this.idleTimeout = idleTimeout;
        this.maxUploadBytes = maxUploadBytes;
    }

    public void install(CamelContext context, int port) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        for (Route route : context.getRoutes()) {
            // a REST DSL operation's route starts from a rest: endpoint whose consumer is platform-http's
            if (route.getConsumer().getEndpoint() instanceof PlatformHttpEndpoint http
                    && http.getHttpMethodRestrict() != null) {
                Pattern path = Pattern.compile(Pattern.quote(http.getPath()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
                for (String method : http.getHttpMethodRestrict().split(",")) {
                    endpoints.add(new Endpoint(path, method.trim().toUpperCase(Locale.ROOT)));
                }
            }
        }
        // Camel's routes live on this sub-router: the first handler sees every request before its body is read.
        router.route().order(Integer.MIN_VALUE).handler(this::admit);
        router.route("/api/*").order(Integer.MAX_VALUE).handler(this::unmatched);
        router.route().failureHandler(this::failed);
    }

    private void admit(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = ctx.normalizedPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if ((path.equals("/api") || path.startsWith("/api/")) && !OPEN_PATHS.contains(path)) {
            try {
                apiKey.check(request.getHeader("X-API-Key"), request.getHeader("Authorization"));
            } catch (RejectedInput refused) {
                respond(ctx, refused.status(), refused.getMessage());
                return;
            }
        }
        if (bodyPending(request)) {
            watchBody(ctx);
        }
        ctx.next();
    }

    /**
     * Checks a few times per idle timeout that the body is still arriving. Vert.x's server has no idle
     * timeout of its own here (platform-http creates it with default options), and an upload complete
     * but for its closing boundary would otherwise hold its connection and temp file for as long as the
     * client likes. Closing the connection makes Vert.x's body handler cancel and delete the partial
     * uploads, as it does when a client goes away mid-body.
     */
    private void watchBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long idleNanos = idleTimeout.toNanos();
        long[] progress = {request.bytesRead(), System.nanoTime()};
        ctx.vertx().setPeriodic(Math.max(50, idleTimeout.toMillis() / 4), id -> {
            if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                ctx.vertx().cancelTimer(id);
                return;
            }
            long read = request.bytesRead();
            long now = System.nanoTime();
            if (read != progress[0]) {
                progress[0] = read;
                progress[1] = now;
            } else if (now - progress[1] >= idleNanos) {
                ctx.vertx().cancelTimer(id);
                LOG.warn("{} {}: the request body stalled after {} bytes; closing the connection",
                        request.method(), request.path(), read);
                respond(ctx, 408, "the request body stopped arriving: nothing for " + idleTimeout.toSeconds()
                        + " s (KAAJ_HTTP_IDLE_TIMEOUT_SECONDS) after " + read + " bytes; send the whole request");
            }
        });
    }

    /** The request announced a body (a length or chunks; on HTTP/2 an open stream) that has not all arrived. */
    private static boolean bodyPending(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            return true;
        }
        String length = request.getHeader("Content-Length");
        return (length != null && !length.strip().equals("0"))
                || "chunked".equalsIgnoreCase(request.getHeader("Transfer-Encoding"));
    }

    /** Under /api, no route took the request: 405 with Allow when the path exists, else 404. */
    private void unmatched(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        Set<String> allowed = new TreeSet<>();
        endpoints.stream().filter(endpoint -> endpoint.path().matcher(path).matches())
                .forEach(endpoint -> allowed.add(endpoint.method()));
        String method = ctx.request().method().name();
        if (allowed.isEmpty() || allowed.contains(method)) {
            respond(ctx, 404, "no endpoint " + path + " (see the API section of the README)");
        } else {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            respond(ctx, 405, method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
        }
    }

    /** Failures inside Vert.x (body over the limit, unreadable form, a failed route) as JSON, never their text. */
    private void failed(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().closed()) {
            // answered already (a stalled body), or the client went away mid-request: nobody to tell
            LOG.info("{} {} ended unanswered: {}", ctx.request().method(), ctx.request().path(),
                    ctx.failure() == null ? "status " + ctx.statusCode() : ctx.failure().toString());
            return;
        }
        int status = ctx.statusCode() >= 400 ? ctx.statusCode() : unreadable(ctx.failure()) ? 400 : 500;
        String message = switch (status) {
            case 413 -> String.format(Locale.ROOT, "the upload is larger than the limit of %d MB (KAAJ_MAX_UPLOAD_MB)",
                    maxUploadBytes / (1024 * 1024));
            case 400 -> "the request could not be read: send the whole body its Content-Length announces, as "
                    + "multipart/form-data or JSON as the endpoint expects (a form field is limited to 8 KB; a name "
                    + "to 200 characters)";
            default -> status >= 500 ? HttpReply.internalError(ctx.request().method() + " " + ctx.request().path(),
                    ctx.failure()) : "the request failed with HTTP " + status;
        };
        if (status < 500 && ctx.failure() != null) {
            LOG.info("{} {} answered {}: {}", ctx.request().method(), ctx.request().path(), status,
                    ctx.failure().toString());
        }
        respond(ctx, status, message);
    }

    /** The request itself could not be decoded (e.g. HTTP/2 data that does not match its Content-Length). */
    private static boolean unreadable(Throwable failure) {
        return failure instanceof DecoderException || failure instanceof Http2Exception;
    }

    /**
     * A JSON error. When the request's body has not all arrived, it is not read on: the connection closes
     * after the answer (HTTP/2: the stream is reset), and Vert.x deletes whatever part of an upload it got.
     */
    private static void respond(RoutingContext ctx, int status, String message) {
        if (ctx.response().headWritten() || ctx.response().closed()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        boolean stopReading = bodyPending(request);
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (stopReading && !http2) {
            ctx.response().putHeader("Connection", "close");
        }
        ctx.response().end(Json.write(Map.of("error", message))).onComplete(written -> {
            if (stopReading && http2) {
                ctx.response().reset();
            } else if (stopReading) {
                request.connection().close();
            }
        });
    }
}
