package ai.kaaj.domain;

import java.util.List;

/**
 * A lender's verdict on one application: the status and checks of its best program.
 * status is eligible, conditional, ineligible, or error (the evaluation itself failed; see error).
 * reviewRequired says the lender's criteria were read from its document with warnings and no operator has
 * approved or corrected them yet; reviewNote then says so in a sentence (null otherwise).
 */
public record MatchResult(
        long lenderId,
        String lenderName,
        Status status,
        String program,
        Integer score,
        Integer rank,
        boolean reviewRequired,
        String reviewNote,
        List<CriterionCheck> criteria,
        String error) {

    public enum Status { eligible, conditional, ineligible, error }

    static final String REVIEW_NOTE = "This lender's criteria were read from its guideline document and await an "
            + "operator's review: check the quoted values before relying on this result.";

    /** The sentence a result against a lender awaiting review carries, or null. */
    public static String reviewNote(boolean reviewRequired) {
        return reviewRequired ? REVIEW_NOTE : null;
    }
}
