package ai.kaaj.extraction;

import java.util.List;

/** The value checks criteria and applications share, each message naming the field. */
final class FieldChecks {

    private FieldChecks() {
    }

    static void range(List<String> errors, String field, Integer value, int min, int max) {
        addIfAny(errors, outOfRange(field, value, min, max));
    }

    static void notNegative(List<String> errors, String field, Long value) {
        addIfAny(errors, negative(field, value));
    }

    /** The problem with a value outside min..max, or null when it is within (or null). */
    static String outOfRange(String field, Integer value, int min, int max) {
        return value != null && (value < min || value > max)
                ? field + " must be between " + min + " and " + max + ", not " + value : null;
    }

    /** The problem with a negative value, or null. */
    static String negative(String field, Long value) {
        return value != null && value < 0 ? field + " must not be negative, not " + value : null;
    }

    private static void addIfAny(List<String> errors, String problem) {
        if (problem != null) {
            errors.add(problem);
        }
    }
}
