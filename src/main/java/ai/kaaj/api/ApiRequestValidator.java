package ai.kaaj.api;

import org.apache.camel.Exchange;
import org.apache.camel.spi.RestClientRequestValidator;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a request against what its REST operation declares (routes/*.camel.yaml), before the route runs:
 * a JSON body must come as application/json (415), a required query parameter must be there and not empty,
 * and a parameter with allowed values must have one of them (400). The refusal is the API's usual JSON
 * error, naming the parameter and what it may be. Camel's own validator would answer in plain text.
 */
public final class ApiRequestValidator implements RestClientRequestValidator {

    @Override
    public ValidationError validate(Exchange exchange, ValidationContext operation) {
        var message = exchange.getMessage();
        if (operation.consumes() != null && operation.consumes().contains("application/json")) {
            String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
            if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return refuse(exchange, 415, "send the body as JSON with Content-Type: application/json (got "
                        + (contentType == null ? "no Content-Type" : contentType) + ")");
            }
        }
        if (operation.requiredQueryParameters() != null) {
            List<String> missing = operation.requiredQueryParameters().stream().sorted()
                    .filter(name -> isEmpty(message.getHeader(name, String.class))).toList();
            if (!missing.isEmpty()) {
                return refuse(exchange, 400, missing.size() == 1
                        ? "the query parameter " + missing.get(0) + " is required"
                        : "the query parameters " + String.join(" and ", missing) + " are required");
            }
        }
        if (operation.queryAllowedValues() != null) {
            for (Map.Entry<String, String> parameter : operation.queryAllowedValues().entrySet()) {
                String value = message.getHeader(parameter.getKey(), String.class);
                List<String> allowed = Arrays.asList(parameter.getValue().split(","));
                if (!isEmpty(value) && !allowed.contains(value)) {
                    return refuse(exchange, 400, parameter.getKey() + " '" + value + "' is not "
                            + (allowed.size() == 1 ? "'" + allowed.get(0) + "'" : "one of " + String.join(", ", allowed)));
                }
            }
        }
        return null;
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /** The REST binding answers with the status and body; the response headers are set here. */
    private static ValidationError refuse(Exchange exchange, int status, String error) {
        HttpReply.respond(exchange, status, Map.of("error", error));
        return new ValidationError(status, exchange.getMessage().getBody(String.class));
    }
}
