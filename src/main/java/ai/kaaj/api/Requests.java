package ai.kaaj.api;

import ai.kaaj.ingest.RejectedInput;

import java.util.UUID;

/** Reading requests: path ids (a malformed id is a resource that does not exist) and JSON bodies. */
final class Requests {

    private Requests() {
    }

    /** JSON endpoints refuse other content types: a form-encoded body would otherwise arrive empty. */
    static void requireJson(String contentType) {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new RejectedInput(415, "send the body as JSON with Content-Type: application/json (got "
                    + (contentType == null ? "no Content-Type" : contentType) + ")");
        }
    }

    static long number(String what, String value) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new RejectedInput(404, what + " '" + value + "' not found: ids are positive whole numbers");
    }

    static UUID uuid(String what, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new RejectedInput(404, what + " '" + value + "' not found: run ids are UUIDs");
        }
    }
}
