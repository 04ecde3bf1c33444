package ai.kaaj.domain;

import java.util.List;

/**
 * A lender's credit box: its programs and the restrictions that apply to all of them.
 * Industries are lower-case names, or NAICS code prefixes written as digits ("713210");
 * states are two-letter US codes. A null list sets no restriction.
 */
public record LenderCriteria(
        List<Program> programs,
        List<String> excludedIndustries,
        List<String> excludedStates,
        List<String> allowedStates) {
}
