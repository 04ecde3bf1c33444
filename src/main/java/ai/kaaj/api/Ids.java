package ai.kaaj.api;

import ai.kaaj.ingest.RejectedInput;

import java.util.UUID;

/** Path ids as the API reads them: a malformed id is a resource that does not exist. */
final class Ids {

    private Ids() {
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
