package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.MatchResult.Status;
import ai.kaaj.domain.Program;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static ai.kaaj.matching.CriterionNames.AMOUNT;
import static ai.kaaj.matching.CriterionNames.BANKRUPTCY_LOOKBACK_YEARS;
import static ai.kaaj.matching.CriterionNames.EQUIPMENT_TYPE;
import static ai.kaaj.matching.CriterionNames.EXCLUDED_INDUSTRIES;
import static ai.kaaj.matching.CriterionNames.MAX_EQUIPMENT_AGE_YEARS;
import static ai.kaaj.matching.CriterionNames.MAX_TERM_MONTHS;
import static ai.kaaj.matching.CriterionNames.MIN_ANNUAL_REVENUE;
import static ai.kaaj.matching.CriterionNames.MIN_DOWN_PAYMENT_PCT;
import static ai.kaaj.matching.CriterionNames.MIN_FICO;
import static ai.kaaj.matching.CriterionNames.MIN_PAYNET;
import static ai.kaaj.matching.CriterionNames.MIN_TIME_IN_BUSINESS_MONTHS;
import static ai.kaaj.matching.CriterionNames.STARTUPS_ALLOWED;
import static ai.kaaj.matching.CriterionNames.STATE;
import static ai.kaaj.matching.Format.list;
import static ai.kaaj.matching.Format.money;
import static ai.kaaj.matching.Format.number;
import static ai.kaaj.matching.ProgramEvaluation.UNGRADED;

/**
 * Evaluates one application against one lender: every program, every criterion the program sets (null sets no
 * limit and is not listed), plus the lender-wide industry and state restrictions, which every program carries.
 * Each check is pass, fail or unknown (the application lacks the field) with the sentence a broker reads.
 * The lender's result is its best program (eligible, then conditional, then ineligible; then higher score; then
 * fewer failures; then the program listed first). Criterion names are those of {@link CriterionNames}.
 *
 * <p>Criteria and how comfortably an application clears them (headroom 0..1, see {@link ProgramEvaluation}):
 * <table>
 * <caption>checks</caption>
 * <tr><th>criterion</th><th>passes when</th><th>full headroom at</th></tr>
 * <tr><td>min_fico, min_paynet</td><td>score &ge; minimum</td><td>{@value #SCORE_FULL_HEADROOM} points above</td></tr>
 * <tr><td>min_time_in_business_months</td><td>months &ge; minimum; months from time_in_business_months or
 *     from business_start_date to today</td><td>twice the minimum (at least 12 months above)</td></tr>
 * <tr><td>min_annual_revenue</td><td>revenue &ge; minimum</td><td>twice the minimum</td></tr>
 * <tr><td>amount</td><td>min_amount &le; amount &le; max_amount, both inclusive</td><td>the lower half of the
 *     range</td></tr>
 * <tr><td>max_term_months</td><td>term &le; maximum</td><td>{@value #TERM_FULL_HEADROOM_MONTHS} months
 *     shorter</td></tr>
 * <tr><td>max_equipment_age_years</td><td>today's year - equipment_year &le; maximum (a current or next model
 *     year unit is 0 years old; new equipment without a year is 0)</td><td>half the maximum age</td></tr>
 * <tr><td>equipment_type</td><td>not of an excluded kind and, when the program lists kinds it takes, of one of
 *     them ({@link Phrases#ofKind})</td><td>not graded</td></tr>
 * <tr><td>startups_allowed (only when false)</td><td>{@value #STARTUP_MONTHS} months in business or
 *     more</td><td>not graded</td></tr>
 * <tr><td>bankruptcy_lookback_years</td><td>no bankruptcy (null), or discharged at least that many years
 *     ago</td><td>twice the look-back</td></tr>
 * <tr><td>min_down_payment_pct</td><td>down payment &ge; minimum</td><td>{@value #DOWN_PAYMENT_FULL_HEADROOM_POINTS}
 *     points above</td></tr>
 * <tr><td>excluded_industries (lender)</td><td>no entry matches: an all-digit entry is a NAICS prefix of the
 *     application's naics, a name follows {@link Phrases}' rule on the industry text. When only one side can be
 *     compared (a name list and a NAICS-only application, say) the part that can decides; when none can, the
 *     check is unknown</td><td>not graded</td></tr>
 * <tr><td>state (lender)</td><td>not excluded and, when the lender lists the states it serves, among
 *     them</td><td>not graded</td></tr>
 * </table>
 * A minimum of 0 or less asks for nothing: it passes even when the application lacks the field.
 *
 * <p>A program's conditions (what its guideline states that the fields cannot hold) are listed after its checks,
 * one check each of criterion {@value CriterionNames#CONDITION} and result unknown: the broker has to check them
 * with the lender, so a program that passes everything else but has conditions is conditional, not eligible. A
 * condition costs less in the score than an unknown field (see {@link ProgramEvaluation}).
 *
 * <p>When the criteria's evidence is given, each sentence about a value read from a document quotes it:
 * "FICO 702 meets the minimum of 670 (page 1: "650+ PayNet, 670+ FICO")". A lender whose criteria await an
 * operator's review gets results that say so ({@link MatchResult#reviewRequired()}).
 *
 * <p>Lenders without criteria, or whose criteria list no program, get an error result: there is nothing to say
 * what deals they do. Pure: no I/O; safe for many threads. The facts derived from an application (months in
 * business, industry words...) are worked out once and reused while the same application is matched against
 * lender after lender.
 */
public final class MatchingEngine {

    /** Businesses younger than this many months are startups. */
    public static final int STARTUP_MONTHS = 24;
    /** What one unknown criterion costs in the fit score. */
    public static final int UNKNOWN_PENALTY = ProgramEvaluation.UNKNOWN_PENALTY;

    static final int SCORE_FULL_HEADROOM = 40;
    static final int TERM_FULL_HEADROOM_MONTHS = 12;
    static final int DOWN_PAYMENT_FULL_HEADROOM_POINTS = 10;
    static final int TIME_IN_BUSINESS_HEADROOM_FLOOR = 12;

    static final String NO_CRITERIA = "lender has no criteria";
    static final String NO_PROGRAMS = "lender has no programs in its criteria";

    /** The last application's facts; an immutable object, so a racing thread sees all of it or another one. */
    private volatile ApplicationFacts last;

    /** A lender evaluated without evidence to quote, its criteria reviewed. */
    public MatchResult evaluate(LoanApplication app, long lenderId, String lenderName, LenderCriteria criteria,
                                LocalDate today) {
        return evaluate(app, lenderId, lenderName, criteria, Map.of(), false, today);
    }

    /**
     * The lender's result: evidence (by field path, possibly empty) is quoted in the sentences; reviewRequired
     * says the criteria await an operator's review, which the result repeats.
     */
    public MatchResult evaluate(LoanApplication app, long lenderId, String lenderName, LenderCriteria criteria,
                                Map<String, Evidence> evidence, boolean reviewRequired, LocalDate today) {
        Objects.requireNonNull(app, "application");
        Objects.requireNonNull(today, "today");
        if (criteria == null) {
            return error(lenderId, lenderName, reviewRequired, NO_CRITERIA);
        }
        List<Program> programs = criteria.programs();
        if (programs == null || programs.isEmpty()) {
            return error(lenderId, lenderName, reviewRequired, NO_PROGRAMS);
        }
        ApplicationFacts facts = facts(app, today);
        CriterionCheck industry = checkIndustries(facts, criteria.excludedIndustries(), evidence);
        CriterionCheck state = checkStates(facts, criteria.excludedStates(), criteria.allowedStates(), evidence);

        // With several programs, find the best by outcomes alone, then write the sentences of that one only.
        boolean several = programs.size() > 1;
        ProgramEvaluation best = null;
        for (int order = 0; order < programs.size(); order++) {
            Program program = programs.get(order);
            if (program != null) {
                ProgramEvaluation result = evaluateProgram(facts, program, order, industry, state, !several,
                        evidence);
                if (best == null || result.betterThan(best)) {
                    best = result;
                }
            }
        }
        if (best == null) {
            return error(lenderId, lenderName, reviewRequired, NO_PROGRAMS);
        }
        if (!best.describe) {
            best = evaluateProgram(facts, programs.get(best.order), best.order, industry, state, true, evidence);
        }
        return new MatchResult(lenderId, lenderName, best.status(), best.program, best.score(), null,
                reviewRequired, MatchResult.reviewNote(reviewRequired), Collections.unmodifiableList(best.checks),
                null);
    }

    private ApplicationFacts facts(LoanApplication app, LocalDate today) {
        ApplicationFacts facts = last;
        if (facts == null || !facts.describes(app, today)) {
            facts = new ApplicationFacts(app, today);
            last = facts;
        }
        return facts;
    }

    private static MatchResult error(long lenderId, String lenderName, boolean reviewRequired, String message) {
        return new MatchResult(lenderId, lenderName, Status.error, null, null, null, reviewRequired,
                MatchResult.reviewNote(reviewRequired), List.of(), message);
    }

    /**
     * One program's checks, in {@link CriterionNames#ALL} order. Every check works out its outcome and headroom
     * first and writes its sentence only when describing.
     */
    static ProgramEvaluation evaluateProgram(ApplicationFacts f, Program p, int order, CriterionCheck industry,
                                             CriterionCheck state, boolean describe, Map<String, Evidence> evidence) {
        LoanApplication app = f.app;
        ProgramEvaluation r = new ProgramEvaluation(p.name() == null || p.name().isBlank()
                ? "Program " + (order + 1) : p.name(), order, describe, evidence);
        if (p.minFico() != null) {
            atLeast(r, MIN_FICO, "FICO", app.fico(), p.minFico());
        }
        if (p.minTimeInBusinessMonths() != null) {
            checkTimeInBusiness(r, f.monthsInBusiness, p.minTimeInBusinessMonths());
        }
        if (p.minAnnualRevenue() != null) {
            checkRevenue(r, app.annualRevenue(), p.minAnnualRevenue());
        }
        if (p.minAmount() != null || p.maxAmount() != null) {
            checkAmount(r, app.amountRequested(), p.minAmount(), p.maxAmount());
        }
        if (p.maxTermMonths() != null) {
            checkTerm(r, app.termMonths(), p.maxTermMonths());
        }
        if (p.minPaynet() != null) {
            atLeast(r, MIN_PAYNET, "PayNet score", app.paynet(), p.minPaynet());
        }
        if (p.maxEquipmentAgeYears() != null) {
            checkEquipmentAge(r, f, p.maxEquipmentAgeYears());
        }
        List<String> allowedTypes = entries(p.allowedEquipmentTypes());
        List<String> excludedTypes = entries(p.excludedEquipmentTypes());
        if (allowedTypes != null || excludedTypes != null) {
            checkEquipmentType(r, f.equipmentType, allowedTypes, excludedTypes);
        }
        if (Boolean.FALSE.equals(p.startupsAllowed())) {
            checkNotStartup(r, f.monthsInBusiness);
        }
        if (p.bankruptcyLookbackYears() != null) {
            checkBankruptcy(r, app.bankruptcyDischargedYearsAgo(), p.bankruptcyLookbackYears());
        }
        if (p.minDownPaymentPct() != null) {
            checkDownPayment(r, app.downPaymentPct(), p.minDownPaymentPct());
        }
        if (industry != null) {
            r.add(industry);
        }
        if (state != null) {
            r.add(state);
        }
        List<String> conditions = entries(p.conditions());
        if (conditions != null) {
            for (int i = 0; i < conditions.size(); i++) {
                r.addCondition(conditions.get(i), i);
            }
        }
        return r;
    }

    /** An outcome for "value at least min"; a minimum of 0 or less asks for nothing, so a missing value passes. */
    private static Outcome atLeast(boolean given, boolean meets, boolean noMinimum) {
        return !given ? (noMinimum ? Outcome.pass : Outcome.unknown) : meets ? Outcome.pass : Outcome.fail;
    }

    /** FICO and PayNet: a score at or above the minimum; full headroom {@value #SCORE_FULL_HEADROOM} points above. */
    private static void atLeast(ProgramEvaluation r, String criterion, String label, Integer value, int min) {
        Outcome outcome = atLeast(value != null, value != null && value >= min, min <= 0);
        double headroom = value == null ? UNGRADED : (value - min) / (double) SCORE_FULL_HEADROOM;
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(criterion, outcome, headroom, switch (outcome) {
            case pass -> value == null ? label + " is not provided, but the program sets no minimum"
                    : label + " " + value + " meets the minimum of " + min;
            case fail -> label + " " + value + " is below the minimum of " + min;
            case unknown -> label + " is not provided; the program requires at least " + min;
        });
    }

    /** Full headroom at twice the minimum (at least {@value #TIME_IN_BUSINESS_HEADROOM_FLOOR} months above). */
    private static void checkTimeInBusiness(ProgramEvaluation r, Integer months, int min) {
        Outcome outcome = atLeast(months != null, months != null && months >= min, min <= 0);
        double headroom = months == null ? UNGRADED
                : (months - min) / (double) Math.max(min, TIME_IN_BUSINESS_HEADROOM_FLOOR);
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(MIN_TIME_IN_BUSINESS_MONTHS, outcome, headroom, switch (outcome) {
            case pass -> months == null ? "Time in business is not provided, but the program sets no minimum"
                    : "Time in business " + months(months) + " meets the minimum of " + min;
            case fail -> "Time in business " + months(months) + " is below the minimum of " + min;
            case unknown -> "Time in business is not provided; the program requires at least " + months(min);
        });
    }

    /** Full headroom at twice the minimum. */
    private static void checkRevenue(ProgramEvaluation r, Long revenue, long min) {
        Outcome outcome = atLeast(revenue != null, revenue != null && revenue >= min, min <= 0);
        double headroom = revenue == null ? UNGRADED : min <= 0 ? 1 : (revenue - min) / (double) min;
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(MIN_ANNUAL_REVENUE, outcome, headroom, switch (outcome) {
            case pass -> revenue == null ? "Annual revenue is not provided, but the program sets no minimum"
                    : "Annual revenue " + money(revenue) + " meets the minimum of " + money(min);
            case fail -> "Annual revenue " + money(revenue) + " is below the minimum of " + money(min);
            case unknown -> "Annual revenue is not provided; the program requires at least " + money(min);
        });
    }

    /** Both bounds inclusive; full headroom in the lower half of the range (or of 0..max). */
    private static void checkAmount(ProgramEvaluation r, Long amount, Long min, Long max) {
        boolean noLimit = max == null && min <= 0;
        boolean below = amount != null && min != null && amount < min;
        boolean above = amount != null && max != null && amount > max;
        Outcome outcome = atLeast(amount != null, !below && !above, noLimit);
        double headroom = UNGRADED;
        if (amount != null) {
            long width = max == null ? 0 : max - (min == null ? 0 : Math.max(0, min));
            headroom = max == null || width <= 0 ? 1 : (max - amount) / (0.5 * width);
        }
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(AMOUNT, outcome, headroom, switch (outcome) {
            case pass -> amount == null ? "Amount requested is not provided, but the program sets no limit"
                    : min != null && max != null
                    ? "Amount requested " + money(amount) + " is within " + money(min) + " to " + money(max)
                    : max != null ? "Amount requested " + money(amount) + " is within the maximum of " + money(max)
                    : "Amount requested " + money(amount) + " meets the minimum of " + money(min);
            case fail -> below ? "Amount requested " + money(amount) + " is below the minimum of " + money(min)
                    : "Amount requested " + money(amount) + " is above the maximum of " + money(max);
            case unknown -> "Amount requested is not provided; the program lends " + range(min, max);
        } + (below ? r.cite("min_amount") : above ? r.cite("max_amount") : r.cite("min_amount", "max_amount")));
    }

    private static String range(Long min, Long max) {
        return min != null && max != null ? money(min) + " to " + money(max)
                : max != null ? "up to " + money(max) : "from " + money(min);
    }

    /** Full headroom {@value #TERM_FULL_HEADROOM_MONTHS} months below the maximum. */
    private static void checkTerm(ProgramEvaluation r, Integer term, int max) {
        Outcome outcome = atLeast(term != null, term != null && term <= max, false);
        double headroom = term == null ? UNGRADED : (max - term) / (double) TERM_FULL_HEADROOM_MONTHS;
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(MAX_TERM_MONTHS, outcome, headroom, switch (outcome) {
            case pass -> "Term " + months(term) + " is within the maximum of " + max;
            case fail -> "Term " + months(term) + " is above the maximum of " + max;
            case unknown -> "Term is not provided; the program allows up to " + months(max);
        });
    }

    /** Age from the model year; new equipment without a year is 0 years old. Full headroom at half the maximum. */
    private static void checkEquipmentAge(ProgramEvaluation r, ApplicationFacts f, int max) {
        Integer age = f.equipmentAge;
        Outcome outcome = atLeast(age != null, age != null && age <= max, f.equipmentNew);
        double headroom = age == null ? (f.equipmentNew ? 1 : UNGRADED) : max <= 0 ? 1 : (max - age) / (max / 2.0);
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(MAX_EQUIPMENT_AGE_YEARS, outcome, headroom, switch (outcome) {
            case pass -> age == null ? "New equipment is within the maximum age of " + years(max)
                    : "Equipment age " + years(age) + " (" + f.app.equipmentYear() + ") is within the maximum of " + max;
            case fail -> "Equipment age " + years(age) + " (" + f.app.equipmentYear() + ") is above the maximum of "
                    + max;
            case unknown -> "Equipment year is not provided; the program takes equipment up to " + years(max) + " old";
        });
    }

    /** Not of an excluded kind and, when the program lists the kinds it takes, of one of them. Not graded. */
    private static void checkEquipmentType(ProgramEvaluation r, Phrases.Words type, List<String> allowed,
                                           List<String> excluded) {
        if (type == null) {
            if (!r.describe) {
                r.count(Outcome.unknown, UNGRADED);
                return;
            }
            r.add(EQUIPMENT_TYPE, Outcome.unknown, UNGRADED, "Equipment type is not provided; the program "
                    + (allowed != null ? "takes " + list(allowed) : "")
                    + (allowed != null && excluded != null ? " and " : "")
                    + (excluded != null ? "excludes " + list(excluded) : "")
                    + r.cite("allowed_equipment_types[0]", "excluded_equipment_types[0]"));
            return;
        }
        String excludedBy = excluded == null ? null : firstKind(type, excluded);
        String acceptedBy = excludedBy != null || allowed == null ? null : firstKind(type, allowed);
        Outcome outcome = excludedBy != null || (allowed != null && acceptedBy == null) ? Outcome.fail : Outcome.pass;
        if (!r.describe) {
            r.count(outcome, UNGRADED);
            return;
        }
        String reason = excludedBy != null ? "Equipment type " + type.text + " is excluded" + unlessSame(type.text,
                excludedBy) + r.cite("excluded_equipment_types[" + excluded.indexOf(excludedBy) + "]")
                : allowed == null ? "Equipment type " + type.text + " is not excluded"
                : acceptedBy != null ? "Equipment type " + type.text + " is accepted" + unlessSame(type.text, acceptedBy)
                + r.cite("allowed_equipment_types[" + allowed.indexOf(acceptedBy) + "]")
                : "Equipment type " + type.text + " is not among those accepted: " + list(allowed)
                + r.cite("allowed_equipment_types[0]");
        r.add(EQUIPMENT_TYPE, outcome, UNGRADED, reason);
    }

    /** The first listed kind the type is of, or null. */
    private static String firstKind(Phrases.Words type, List<String> kinds) {
        for (String kind : kinds) {
            if (Phrases.ofKind(type, Phrases.equipmentPhrase(kind))) {
                return kind;
            }
        }
        return null;
    }

    /** " (trucks)", naming the list entry, unless it is what the application says. */
    private static String unlessSame(String given, String entry) {
        return given.equalsIgnoreCase(entry.trim()) ? "" : " (" + entry.trim() + ")";
    }

    /** Only when startups_allowed is false: {@value #STARTUP_MONTHS} months in business or more. Not graded. */
    private static void checkNotStartup(ProgramEvaluation r, Integer months) {
        Outcome outcome = atLeast(months != null, months != null && months >= STARTUP_MONTHS, false);
        if (!r.describe) {
            r.count(outcome, UNGRADED);
            return;
        }
        r.add(STARTUPS_ALLOWED, outcome, UNGRADED, switch (outcome) {
            case pass -> "Business is established (" + months(months) + " in business); the program takes no "
                    + "startups";
            case fail -> "Business is a startup (" + months(months) + " in business); the program takes no startups";
            case unknown -> "Time in business is not provided; the program takes no startups (under "
                    + STARTUP_MONTHS + " months)";
        });
    }

    /**
     * No bankruptcy (null: never) passes, not graded; one discharged at least the look-back ago passes, full
     * headroom at twice the look-back; a more recent one fails. Never unknown.
     */
    private static void checkBankruptcy(ProgramEvaluation r, Double yearsAgo, int lookback) {
        Outcome outcome = yearsAgo == null || yearsAgo >= lookback ? Outcome.pass : Outcome.fail;
        double headroom = yearsAgo == null ? UNGRADED : lookback <= 0 ? 1 : (yearsAgo - lookback) / lookback;
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(BANKRUPTCY_LOOKBACK_YEARS, outcome, headroom, yearsAgo == null
                ? "No bankruptcy reported; the program looks back " + years(lookback)
                : "Bankruptcy discharged " + number(yearsAgo) + " years ago is " + (outcome == Outcome.pass
                ? "outside" : "within") + " the " + lookback + "-year look-back");
    }

    /** Full headroom {@value #DOWN_PAYMENT_FULL_HEADROOM_POINTS} points above the minimum. */
    private static void checkDownPayment(ProgramEvaluation r, Double pct, double min) {
        Outcome outcome = atLeast(pct != null, pct != null && pct >= min, min <= 0);
        double headroom = pct == null ? UNGRADED : min <= 0 ? 1 : (pct - min) / DOWN_PAYMENT_FULL_HEADROOM_POINTS;
        if (!r.describe) {
            r.count(outcome, headroom);
            return;
        }
        r.add(MIN_DOWN_PAYMENT_PCT, outcome, headroom, switch (outcome) {
            case pass -> pct == null ? "Down payment is not provided, but the program requires none"
                    : "Down payment " + number(pct) + "% meets the minimum of " + number(min) + "%";
            case fail -> "Down payment " + number(pct) + "% is below the minimum of " + number(min) + "%";
            case unknown -> "Down payment is not provided; the program requires at least " + number(min) + "%";
        });
    }

    /** The lender-wide industry check, or null when the lender excludes none. */
    static CriterionCheck checkIndustries(ApplicationFacts f, List<String> excludedList,
                                          Map<String, Evidence> evidence) {
        List<String> excluded = entries(excludedList);
        if (excluded == null) {
            return null;
        }
        boolean names = false;
        boolean codes = false;
        for (String entry : excluded) {
            Phrases.Phrase phrase = Phrases.industryPhrase(entry);
            if (phrase.code()) {
                codes = true;
                if (f.naics != null && f.naics.startsWith(phrase.text())) {
                    return new CriterionCheck(EXCLUDED_INDUSTRIES, Outcome.fail, "NAICS " + f.naics
                            + " falls under excluded NAICS " + phrase.text()
                            + cite(evidence, "excluded_industries[" + excludedList.indexOf(entry) + "]"));
                }
            } else {
                names = true;
                if (f.industry != null && Phrases.inIndustry(f.industry, phrase)) {
                    boolean same = f.industry.joined.equals(phrase.joined());
                    return new CriterionCheck(EXCLUDED_INDUSTRIES, Outcome.fail, f.industrySubject
                            + " is an excluded industry" + (same ? "" : " (" + phrase.text() + ")")
                            + cite(evidence, "excluded_industries[" + excludedList.indexOf(entry) + "]"));
                }
            }
        }
        boolean comparedNames = names && f.industry != null;
        if (comparedNames || (codes && f.naics != null)) {
            return comparedNames ? f.industryNotExcluded : f.naicsNotExcluded;
        }
        String what = f.industry == null && f.naics == null ? "Industry is not provided"
                : f.industry == null ? "Industry is not provided (only NAICS " + f.naics + ")"
                : "NAICS code is not provided";
        return new CriterionCheck(EXCLUDED_INDUSTRIES, Outcome.unknown, what + "; the lender excludes "
                + industryList(excluded) + cite(evidence, "excluded_industries[" + excludedList.indexOf(excluded.get(0))
                + "]"));
    }

    private static String industryList(List<String> excluded) {
        List<String> shown = new ArrayList<>(excluded.size());
        for (String entry : excluded) {
            shown.add(Phrases.isNaicsCode(entry.trim()) ? "NAICS " + entry.trim() : entry.trim());
        }
        return list(shown);
    }

    /** The lender-wide state check, or null when the lender restricts no states. */
    static CriterionCheck checkStates(ApplicationFacts f, List<String> excludedList, List<String> allowedList,
                                      Map<String, Evidence> evidence) {
        List<String> excluded = entries(excludedList);
        List<String> allowed = entries(allowedList);
        if (excluded == null && allowed == null) {
            return null;
        }
        if (f.state == null) {
            String what = f.stateGiven == null ? "State is not provided"
                    : "State " + f.stateGiven + " is not a US state";
            return new CriterionCheck(STATE, Outcome.unknown, what + "; the lender "
                    + (allowed != null ? "serves only " + list(allowed) : "")
                    + (allowed != null && excluded != null ? " and " : "")
                    + (excluded != null ? "excludes " + list(excluded) : "")
                    + cite(evidence, "allowed_states[0]", "excluded_states[0]"));
        }
        if (excluded != null && containsCode(excluded, f.state)) {
            return new CriterionCheck(STATE, Outcome.fail, f.state + " is an excluded state"
                    + cite(evidence, "excluded_states[" + indexOfCode(excludedList, f.state) + "]"));
        }
        if (allowed == null) {
            return f.stateNotExcluded;
        }
        if (containsCode(allowed, f.state)) {
            return f.stateServed;
        }
        return new CriterionCheck(STATE, Outcome.fail, f.state + " is not among the states served: " + list(allowed)
                + cite(evidence, "allowed_states[0]"));
    }

    private static int indexOfCode(List<String> codes, String code) {
        for (int i = 0; i < codes.size(); i++) {
            if (codes.get(i) != null && codes.get(i).trim().equalsIgnoreCase(code)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * How a sentence cites the evidence at these paths (each distinct quote once), or "" when there is none to
     * quote. A reason that names a whole list quotes its first item's, where the guideline writes the list.
     */
    static String cite(Map<String, Evidence> evidence, String... paths) {
        Set<String> citations = new LinkedHashSet<>();
        for (String path : paths) {
            Evidence e = evidence.get(path);
            if (e != null) {
                citations.add(e.citation());
            }
        }
        return String.join("", citations);
    }

    private static boolean containsCode(List<String> codes, String code) {
        for (String entry : codes) {
            if (entry.trim().equalsIgnoreCase(code)) {
                return true;
            }
        }
        return false;
    }

    /** The non-blank entries of a list; null when there are none (an empty list restricts nothing). */
    private static List<String> entries(List<String> list) {
        if (list == null || list.isEmpty()) {
            return null;
        }
        for (int i = 0; i < list.size(); i++) {
            String entry = list.get(i);
            if (entry == null || entry.isBlank()) {
                List<String> kept = new ArrayList<>(list.size());
                for (String e : list) {
                    if (e != null && !e.isBlank()) {
                        kept.add(e);
                    }
                }
                return kept.isEmpty() ? null : kept;
            }
        }
        return list;
    }

    /**
     * How many criterion checks {@link #evaluate} performs for these criteria: each program's own checks, plus
     * the lender-wide industry and state checks, which are made once per lender. For benchmarks and tests.
     */
    static int checkCount(LenderCriteria criteria) {
        if (criteria == null || criteria.programs() == null) {
            return 0;
        }
        int count = (entries(criteria.excludedIndustries()) != null ? 1 : 0)
                + (entries(criteria.excludedStates()) != null || entries(criteria.allowedStates()) != null ? 1 : 0);
        for (Program p : criteria.programs()) {
            if (p == null) {
                continue;
            }
            count += (p.minFico() != null ? 1 : 0) + (p.minTimeInBusinessMonths() != null ? 1 : 0)
                    + (p.minAnnualRevenue() != null ? 1 : 0)
                    + (p.minAmount() != null || p.maxAmount() != null ? 1 : 0)
                    + (p.maxTermMonths() != null ? 1 : 0) + (p.minPaynet() != null ? 1 : 0)
                    + (p.maxEquipmentAgeYears() != null ? 1 : 0)
                    + (entries(p.allowedEquipmentTypes()) != null || entries(p.excludedEquipmentTypes()) != null
                    ? 1 : 0)
                    + (Boolean.FALSE.equals(p.startupsAllowed()) ? 1 : 0)
                    + (p.bankruptcyLookbackYears() != null ? 1 : 0) + (p.minDownPaymentPct() != null ? 1 : 0)
                    + (entries(p.conditions()) == null ? 0 : entries(p.conditions()).size());
        }
        return count;
    }

    private static String months(int n) {
        return n == 1 ? "1 month" : n + " months";
    }

    private static String years(int n) {
        return n == 1 ? "1 year" : n + " years";
    }
}
