package ai.kaaj.domain;

import java.util.List;

/**
 * A lender's verdict on one application: the status and checks of its best program.
 * status is eligible, conditional, ineligible, or error (the evaluation itself failed; see error).
 */
public record MatchResult(
        long lenderId,
        String lenderName,
        Status status,
        String program,
        Integer score,
        Integer rank,
        List<CriterionCheck> criteria,
        String error) {

    public enum Status { eligible, conditional, ineligible, error }
}
