package ai.kaaj.api;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.Locale;
import java.util.Map;

/**
 * Errors Vert.x answers before a request reaches a route (body too large, a form field over its size
 * limit) get the same {"error": "..."} JSON body as the routes' own errors.
 */
public final class HttpErrors {

    private HttpErrors() {
    }

    public static void install(CamelContext context, int port, long maxUploadBytes) {
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            router = VertxPlatformHttpRouter.lookup(context);
        }
        // Camel's routes live on a sub-router: a failure handler there sees their body-handling failures.
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() < 0 ? 500 : ctx.statusCode();
            String message = switch (status) {
                case 413 -> String.format(Locale.ROOT, "the upload is larger than the limit of %d MB (KAAJ_MAX_UPLOAD_MB)",
                        maxUploadBytes / (1024 * 1024));
                case 400 -> "the request could not be read" + (ctx.failure() == null ? "" : ": "
                        + ctx.failure().getMessage()) + " (a form field is limited to 8 KB; a name to 200 characters)";
                default -> "the request failed with HTTP " + status;
            };
            respond(ctx, status, message);
        });
    }

    private static void respond(RoutingContext ctx, int status, String message) {
        if (ctx.response().headWritten()) {
            return;
        }
        try {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(Json.MAPPER.writeValueAsString(Map.of("error", message)));
        } catch (JsonProcessingException e) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
