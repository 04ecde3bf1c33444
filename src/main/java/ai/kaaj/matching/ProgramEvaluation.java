package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.MatchResult.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of one program for one application, its status and fit score.
 *
 * <h2>Fit score (0 to 100)</h2>
 * An ineligible program scores 0. Otherwise the score starts at 100 and loses
 * <ul>
 *   <li>for each graded criterion that passes, (1 - headroom) x W, where headroom in [0, 1] says how
 *       comfortably the application clears the threshold (see {@link MatchingEngine} for each criterion's
 *       headroom) and W = min({@value #MAX_LOSS_PER_CRITERION}, {@value #MAX_HEADROOM_LOSS} / graded
 *       criteria): a deal that scrapes by on everything still keeps {@value #SCRAPING_BY_SCORE};</li>
 *   <li>{@value #UNKNOWN_PENALTY} for each unknown criterion, more than any one criterion's lost headroom,
 *       so a criterion the broker still has to supply always costs more than one that is merely tight;</li>
 *   <li>{@value #CONDITION_PENALTY} for each condition of the program to check with the lender: a doubt, but a
 *       smaller one than a missing figure.</li>
 * </ul>
 * The result is rounded and kept within 1 to 100: an eligible or conditional program never scores 0.
 * Pass/fail criteria with no threshold to clear (equipment type, startups, industry, state, no bankruptcy)
 * do not move the score.
 */
final class ProgramEvaluation {

    static final int MAX_LOSS_PER_CRITERION = 15;
    static final int MAX_HEADROOM_LOSS = 60;
    static final int SCRAPING_BY_SCORE = 100 - MAX_HEADROOM_LOSS;
    static final int UNKNOWN_PENALTY = 25;
    static final int CONDITION_PENALTY = 10;

    /** Criteria whose checks quote the program field of the same name when it has evidence. */
    private static final Set<String> FIELD_CRITERIA = Set.of(CriterionNames.MIN_FICO,
            CriterionNames.MIN_TIME_IN_BUSINESS_MONTHS, CriterionNames.MIN_ANNUAL_REVENUE, CriterionNames.MAX_TERM_MONTHS,
            CriterionNames.MIN_PAYNET, CriterionNames.MAX_EQUIPMENT_AGE_YEARS, CriterionNames.STARTUPS_ALLOWED,
            CriterionNames.BANKRUPTCY_LOOKBACK_YEARS, CriterionNames.MIN_DOWN_PAYMENT_PCT);

    /** The headroom of a pass/fail criterion, which does not move the score. */
    static final double UNGRADED = Double.NaN;

    final String program;
    final int order;
    /** Whether the checks are kept with their sentences, or only counted (to find the best program cheaply). */
    final boolean describe;
    final List<CriterionCheck> checks;
    /** The lender's evidence by field path, quoted in the sentences; possibly empty. */
    private final Map<String, Evidence> evidence;
    int failures;
    int unknowns;
    int conditions;
    private int graded;
    private double lostHeadroom;
    private int score = -1;

    ProgramEvaluation(String program, int order, boolean describe, Map<String, Evidence> evidence) {
        this.program = program;
        this.order = order;
        this.describe = describe;
        this.evidence = evidence;
        this.checks = describe ? new ArrayList<>(12) : List.of();
    }

    /** How a sentence cites the evidence of these fields of the program (each distinct quote once), or "". */
    String cite(String... fields) {
        if (evidence.isEmpty()) {
            return "";
        }
        String[] paths = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            paths[i] = "programs[" + order + "]." + fields[i];
        }
        return MatchingEngine.cite(evidence, paths);
    }

    /**
     * A condition of the program, the i-th of its list: to check with the lender, so it makes the program
     * conditional (result unknown); its sentence quotes where the guideline states it.
     */
    void addCondition(String condition, int i) {
        conditions++;
        if (describe) {
            Evidence e = evidence.get("programs[" + order + "].conditions[" + i + "]");
            String citation = e == null || e.citation().isEmpty() ? ""
                    : e.text().equalsIgnoreCase(condition) && e.page() != null ? " (page " + e.page() + ")"
                    : e.citation();
            checks.add(new CriterionCheck(CriterionNames.CONDITION, Outcome.unknown,
                    "Condition to check with the lender: " + condition + citation));
        }
    }

    /** Counts an outcome; headroom (clamped to 0..1) for a threshold that passes, UNGRADED otherwise. */
    void count(Outcome outcome, double headroom) {
        switch (outcome) {
            case fail -> failures++;
            case unknown -> unknowns++;
            case pass -> {
                if (!Double.isNaN(headroom)) {
                    graded++;
                    lostHeadroom += 1 - Math.max(0, Math.min(1, headroom));
                }
            }
        }
    }

    /**
     * Counts an outcome and, when describing, keeps the check with its sentence, which quotes the evidence of the
     * program field the criterion is named after.
     */
    void add(String criterion, Outcome outcome, double headroom, String reason) {
        count(outcome, headroom);
        checks.add(new CriterionCheck(criterion, outcome, FIELD_CRITERIA.contains(criterion)
                ? reason + cite(criterion) : reason));
    }

    /** A lender-wide check, the same for every program: pass/fail, never graded. */
    void add(CriterionCheck check) {
        count(check.result(), UNGRADED);
        if (describe) {
            checks.add(check);
        }
    }

    Status status() {
        return failures > 0 ? Status.ineligible : unknowns > 0 || conditions > 0 ? Status.conditional : Status.eligible;
    }

    int score() {
        if (score < 0) {
            score = failures > 0 ? 0 : score(graded, lostHeadroom, unknowns, conditions);
        }
        return score;
    }

    static int score(int graded, double lostHeadroom, int unknowns, int conditions) {
        double weight = graded == 0 ? 0 : Math.min(MAX_LOSS_PER_CRITERION, MAX_HEADROOM_LOSS / (double) graded);
        long value = Math.round(100 - weight * lostHeadroom) - (long) UNKNOWN_PENALTY * unknowns
                - (long) CONDITION_PENALTY * conditions;
        return (int) Math.max(1, Math.min(100, value));
    }

    /** The better program: eligible, conditional, ineligible; then higher score; fewer failures; listed first. */
    boolean betterThan(ProgramEvaluation other) {
        Status mine = status();
        Status theirs = other.status();
        if (mine != theirs) {
            return mine.ordinal() < theirs.ordinal();
        }
        if (score() != other.score()) {
            return score() > other.score();
        }
        if (failures != other.failures) {
            return failures < other.failures;
        }
        return order < other.order;
    }
}
