package ai.kaaj.api;

import ai.kaaj.ingest.RejectedInput;

import java.util.UUID;

/** Reading requests: path ids (a malformed id is a resource that does not exist) and numbers in the query. */
final class Requests {

    private Requests() {
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

    /** An optional whole-number query parameter within bounds, or 400 naming it. */
    static int wholeNumber(String name, String value, int defaultValue, int min, int max) {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new RejectedInput(400, name + " '" + value + "' must be a whole number from " + min + " to " + max);
    }
}
