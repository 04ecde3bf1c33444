package ai.kaaj.extraction;

import java.util.List;

/** The value checks criteria and applications share, each adding a message that names the field. */
final class FieldChecks {

    private FieldChecks() {
    }

    static void range(List<String> errors, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            errors.add(field + " must be between " + min + " and " + max + ", not " + value);
        }
    }

    static void notNegative(List<String> errors, String field, Long value) {
        if (value != null && value < 0) {
            errors.add(field + " must not be negative, not " + value);
        }
    }
}
