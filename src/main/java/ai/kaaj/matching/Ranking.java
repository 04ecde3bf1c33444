package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.MatchResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Orders lenders' results: eligible, then conditional, then ineligible, then errors. Eligible and
 * conditional by fit score, ineligible by fewest failed criteria (the near misses a broker can fix);
 * ties by lender name, then id, so the same input always gives the same order.
 */
public final class Ranking {

    private static final Comparator<MatchResult> ORDER = Comparator
            .comparingInt((MatchResult r) -> r.status().ordinal())
            .thenComparingInt(r -> r.status() == MatchResult.Status.ineligible ? failures(r)
                    : -(r.score() == null ? 0 : r.score()))
            .thenComparing(r -> r.lenderName() == null ? "" : r.lenderName().toLowerCase(Locale.ROOT))
            .thenComparingLong(MatchResult::lenderId);

    private Ranking() {
    }

    /** The results in rank order, each with its rank (1 = best). */
    public static List<MatchResult> rank(List<MatchResult> results) {
        List<MatchResult> sorted = new ArrayList<>(results);
        sorted.sort(ORDER);
        List<MatchResult> ranked = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            MatchResult r = sorted.get(i);
            ranked.add(new MatchResult(r.lenderId(), r.lenderName(), r.status(), r.program(), r.score(), i + 1,
                    r.criteria(), r.error()));
        }
        return ranked;
    }

    static int failures(MatchResult result) {
        int failures = 0;
        for (CriterionCheck check : result.criteria()) {
            if (check.result() == CriterionCheck.Outcome.fail) {
                failures++;
            }
        }
        return failures;
    }
}
