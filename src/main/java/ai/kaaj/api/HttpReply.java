package ai.kaaj.api;

import ai.kaaj.domain.Json;
import ai.kaaj.ingest.RejectedInput;
import ai.kaaj.store.Sql.StoreException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.UUID;

/**
 * Writes a Reply, or an exception, as the HTTP response: status code and JSON body. The one place API
 * answers are written (ApiRequestValidator's refusals too).
 */
public final class HttpReply {

    private static final Logger LOG = LoggerFactory.getLogger(HttpReply.class.getPackageName());

    public void write(Exchange exchange) {
        Reply reply = exchange.getMessage().getBody(Reply.class);
        respond(exchange, reply.status(), reply.body());
    }

    /** Maps what went wrong to a status: the client's mistakes are 4xx, an unreachable database 503. */
    public void error(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        if (failure instanceof RejectedInput rejected) {
            status = rejected.status();
            message = rejected.getMessage();
        } else if (failure instanceof StoreException store && store.isUnavailable()) {
            status = 503;
            message = "the database is unavailable; try again shortly";
            LOG.warn("API call failed, database unavailable: {}", failure.getMessage());
        } else {
            status = 500;
            message = internalError("route " + exchange.getFromRouteId(), failure);
        }
        respond(exchange, status, Map.of("error", message));
    }

    /**
     * Logs an unexpected failure with an id and returns the answer that quotes it: exception text, SQL
     * and class names stay in the log.
     */
    static String internalError(String call, Throwable failure) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.error("{} failed (error id {})", call, id, failure);
        return "internal error; quote error id " + id + " when you report it";
    }

    /** The request's headers are dropped: platform-http would send them back as response headers. */
    static void respond(Exchange exchange, int status, Object body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(Json.write(body));
    }
}
