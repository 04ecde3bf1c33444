package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.MatchResult.Status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Orders lenders' results for a broker: eligible, then conditional, then ineligible, then errors. Eligible and
 * conditional by fit score, higher first; ineligible by fewest failed criteria (the near misses a broker can
 * fix); ties by lender name ignoring case, then lender id, so the same results in any order give the same
 * ranking. Pure: the input list and its results are left as they are.
 */
public final class Ranking {

    /** The order {@link #rank} sorts by, for results whose failures are counted anew on each comparison. */
    public static final Comparator<MatchResult> ORDER = Comparator.comparing(Ranking::key, Key.ORDER);

    private Ranking() {
    }

    /** The results in rank order, each a copy with its rank set (1 = best). */
    public static List<MatchResult> rank(List<MatchResult> results) {
        Key[] keys = new Key[results.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = key(results.get(i));
        }
        Arrays.sort(keys, Key.ORDER);
        List<MatchResult> ranked = new ArrayList<>(keys.length);
        for (int i = 0; i < keys.length; i++) {
            MatchResult r = keys[i].result;
            ranked.add(new MatchResult(r.lenderId(), r.lenderName(), r.status(), r.program(), r.score(), i + 1,
                    r.reviewRequired(), r.reviewNote(), r.criteria(), r.error()));
        }
        return ranked;
    }

    /** The number of failed criteria in a result. */
    public static int failures(MatchResult result) {
        if (result.criteria() == null) {
            return 0;
        }
        int failures = 0;
        for (CriterionCheck check : result.criteria()) {
            if (check.result() == CriterionCheck.Outcome.fail) {
                failures++;
            }
        }
        return failures;
    }

    private static Key key(MatchResult r) {
        Status status = r.status() == null ? Status.error : r.status();
        int within = switch (status) {
            case eligible, conditional -> -(r.score() == null ? 0 : r.score());
            case ineligible -> r.criteria() == null ? Integer.MAX_VALUE : failures(r);
            case error -> 0;
        };
        String name = r.lenderName() == null ? "" : r.lenderName().toLowerCase(Locale.ROOT);
        return new Key(status.ordinal(), within, name, r.lenderId(), r);
    }

    /** What a result is sorted by: status, then score or failures, then name, then id. */
    private record Key(int status, int within, String name, long id, MatchResult result) {
        static final Comparator<Key> ORDER = Comparator.comparingInt(Key::status)
                .thenComparingInt(Key::within)
                .thenComparing(Key::name)
                .thenComparingLong(Key::id);
    }
}
