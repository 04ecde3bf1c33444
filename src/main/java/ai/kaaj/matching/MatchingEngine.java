package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.MatchResult.Status;
import ai.kaaj.domain.Program;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates one application against one lender: every program, every criterion the program (or the
 * lender, for industries and states) sets, each pass / fail / unknown with the sentence a broker reads.
 * The lender's result is its best program. Pure: no I/O, safe to call from many threads.
 */
public final class MatchingEngine {

    /** Businesses younger than this are startups. */
    static final int STARTUP_MONTHS = 24;
    /** What one unknown criterion costs in the fit score. */
    static final int UNKNOWN_PENALTY = 15;

    public MatchResult evaluate(LoanApplication app, long lenderId, String lenderName, LenderCriteria criteria,
                                LocalDate today) {
        if (criteria == null || criteria.programs() == null || criteria.programs().isEmpty()) {
            return new MatchResult(lenderId, lenderName, Status.error, null, null, null, List.of(),
                    "the lender has no criteria to match against");
        }
        Integer timeInBusiness = timeInBusinessMonths(app, today);
        List<CriterionCheck> lenderWide = new ArrayList<>(3);
        checkIndustries(app, criteria.excludedIndustries(), lenderWide);
        checkStates(app, criteria.excludedStates(), criteria.allowedStates(), lenderWide);

        ProgramResult best = null;
        for (int order = 0; order < criteria.programs().size(); order++) {
            ProgramResult result = evaluateProgram(app, criteria.programs().get(order), order, timeInBusiness, today,
                    lenderWide);
            if (best == null || result.betterThan(best)) {
                best = result;
            }
        }
        return new MatchResult(lenderId, lenderName, best.status(), best.name, best.score(), null, best.checks,
                null);
    }

    /** Months in business, from the field or from the start date. */
    static Integer timeInBusinessMonths(LoanApplication app, LocalDate today) {
        if (app.timeInBusinessMonths() != null) {
            return app.timeInBusinessMonths();
        }
        if (app.businessStartDate() != null && !app.businessStartDate().isAfter(today)) {
            return (int) ChronoUnit.MONTHS.between(app.businessStartDate(), today);
        }
        return null;
    }

    /** The checks and score of one program. */
    private static final class ProgramResult {
        final String name;
        final List<CriterionCheck> checks = new ArrayList<>(16);
        final int order;
        int failures;
        int unknowns;
        double headroomSum;
        int headroomCount;

        ProgramResult(String name, int order) {
            this.name = name;
            this.order = order;
        }

        void pass(String criterion, String reason, double headroom) {
            checks.add(new CriterionCheck(criterion, Outcome.pass, reason));
            headroomSum += Math.max(0, Math.min(1, headroom));
            headroomCount++;
        }

        void fail(String criterion, String reason) {
            checks.add(new CriterionCheck(criterion, Outcome.fail, reason));
            failures++;
        }

        void unknown(String criterion, String reason) {
            checks.add(new CriterionCheck(criterion, Outcome.unknown, reason));
            unknowns++;
        }

        void add(CriterionCheck check) {
            switch (check.result()) {
                case pass -> pass(check.criterion(), check.reason(), 1.0);
                case fail -> fail(check.criterion(), check.reason());
                case unknown -> unknown(check.criterion(), check.reason());
            }
        }

        Status status() {
            return failures > 0 ? Status.ineligible : unknowns > 0 ? Status.conditional : Status.eligible;
        }

        /**
         * 0 for an ineligible program. Otherwise 50 for scraping by, up to 100 for clearing every threshold
         * comfortably, less UNKNOWN_PENALTY for each criterion the broker still has to supply.
         */
        int score() {
            if (failures > 0) {
                return 0;
            }
            double headroom = headroomCount == 0 ? 1.0 : headroomSum / headroomCount;
            long score = Math.round(50 + 50 * headroom) - (long) UNKNOWN_PENALTY * unknowns;
            return (int) Math.max(1, Math.min(100, score));
        }

        boolean betterThan(ProgramResult other) {
            if (status() != other.status()) {
                return status().ordinal() < other.status().ordinal();
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

    private static ProgramResult evaluateProgram(LoanApplication app, Program p, int order, Integer timeInBusiness,
                                                 LocalDate today, List<CriterionCheck> lenderWide) {
        ProgramResult r = new ProgramResult(p.name() == null ? "Standard" : p.name(), order);
        if (p.minFico() != null) {
            minimum(r, "min_fico", "FICO", app.fico(), p.minFico(), 50);
        }
        if (p.minTimeInBusinessMonths() != null) {
            int min = p.minTimeInBusinessMonths();
            if (timeInBusiness == null) {
                r.unknown("min_time_in_business_months", "Time in business is not provided; the program requires "
                        + min + " months");
            } else if (timeInBusiness >= min) {
                r.pass("min_time_in_business_months", "Time in business " + timeInBusiness
                        + " months meets the minimum of " + min, (timeInBusiness - min) / (double) Math.max(min, 12));
            } else {
                r.fail("min_time_in_business_months", "Time in business " + timeInBusiness
                        + " months is below the minimum of " + min);
            }
        }
        if (p.minAnnualRevenue() != null) {
            long min = p.minAnnualRevenue();
            if (app.annualRevenue() == null) {
                r.unknown("min_annual_revenue", "Annual revenue is not provided; the program requires at least "
                        + money(min));
            } else if (app.annualRevenue() >= min) {
                r.pass("min_annual_revenue", "Annual revenue " + money(app.annualRevenue()) + " meets the minimum of "
                        + money(min), min == 0 ? 1 : (app.annualRevenue() - min) / (double) min);
            } else {
                r.fail("min_annual_revenue", "Annual revenue " + money(app.annualRevenue()) + " is below the minimum of "
                        + money(min));
            }
        }
        if (p.minAmount() != null || p.maxAmount() != null) {
            checkAmount(r, app.amountRequested(), p.minAmount(), p.maxAmount());
        }
        if (p.maxTermMonths() != null) {
            int max = p.maxTermMonths();
            if (app.termMonths() == null) {
                r.unknown("max_term_months", "Term is not provided; the program allows up to " + max + " months");
            } else if (app.termMonths() <= max) {
                r.pass("max_term_months", "Term " + app.termMonths() + " months is within the maximum of " + max,
                        (max - app.termMonths()) / (double) max * 2);
            } else {
                r.fail("max_term_months", "Term " + app.termMonths() + " months is above the maximum of " + max);
            }
        }
        if (p.minPaynet() != null) {
            minimum(r, "min_paynet", "PayNet score", app.paynet(), p.minPaynet(), 50);
        }
        if (p.maxEquipmentAgeYears() != null) {
            int max = p.maxEquipmentAgeYears();
            if (app.equipmentYear() == null) {
                r.unknown("max_equipment_age_years", "Equipment year is not provided; the program takes equipment up "
                        + "to " + max + " years old");
            } else {
                int age = Math.max(0, today.getYear() - app.equipmentYear());
                if (age <= max) {
                    r.pass("max_equipment_age_years", "Equipment age " + age + " years (" + app.equipmentYear()
                            + ") is within the maximum of " + max, max == 0 ? 1 : (max - age) / (double) max);
                } else {
                    r.fail("max_equipment_age_years", "Equipment age " + age + " years (" + app.equipmentYear()
                            + ") is above the maximum of " + max);
                }
            }
        }
        checkEquipmentTypes(r, app.equipmentType(), p.allowedEquipmentTypes(), p.excludedEquipmentTypes());
        if (Boolean.FALSE.equals(p.startupsAllowed())) {
            if (timeInBusiness == null) {
                r.unknown("startups_allowed", "Time in business is not provided; the program does not take startups");
            } else if (timeInBusiness >= STARTUP_MONTHS) {
                r.pass("startups_allowed", "Business is established (" + timeInBusiness + " months); startups are "
                        + "not accepted", 1);
            } else {
                r.fail("startups_allowed", "Business is a startup (" + timeInBusiness + " months in business); "
                        + "startups are not accepted");
            }
        }
        if (p.bankruptcyLookbackYears() != null) {
            int years = p.bankruptcyLookbackYears();
            Double ago = app.bankruptcyDischargedYearsAgo();
            if (ago == null) {
                r.pass("bankruptcy_lookback_years", "No bankruptcy reported", 1);
            } else if (ago >= years) {
                r.pass("bankruptcy_lookback_years", "Bankruptcy discharged " + number(ago) + " years ago is outside "
                        + "the " + years + "-year look-back", 1);
            } else {
                r.fail("bankruptcy_lookback_years", "Bankruptcy discharged " + number(ago) + " years ago is within "
                        + "the " + years + "-year look-back");
            }
        }
        if (p.minDownPaymentPct() != null) {
            double min = p.minDownPaymentPct();
            if (app.downPaymentPct() == null) {
                r.unknown("min_down_payment_pct", "Down payment is not provided; the program requires at least "
                        + number(min) + "%");
            } else if (app.downPaymentPct() >= min) {
                r.pass("min_down_payment_pct", "Down payment " + number(app.downPaymentPct()) + "% meets the minimum of "
                        + number(min) + "%", (app.downPaymentPct() - min) / 10.0);
            } else {
                r.fail("min_down_payment_pct", "Down payment " + number(app.downPaymentPct()) + "% is below the minimum "
                        + "of " + number(min) + "%");
            }
        }
        for (CriterionCheck check : lenderWide) {
            r.add(check);
        }
        return r;
    }

    /** A "value at least min" criterion; headroom is full at fullHeadroom above the minimum. */
    private static void minimum(ProgramResult r, String criterion, String label, Integer value, int min,
                                int fullHeadroom) {
        if (value == null) {
            r.unknown(criterion, label + " is not provided; the program requires at least " + min);
        } else if (value >= min) {
            r.pass(criterion, label + " " + value + " meets the minimum of " + min, (value - min) / (double) fullHeadroom);
        } else {
            r.fail(criterion, label + " " + value + " is below the minimum of " + min);
        }
    }

    private static void checkAmount(ProgramResult r, Long amount, Long min, Long max) {
        String range = min != null && max != null ? money(min) + " to " + money(max)
                : min != null ? "at least " + money(min) : "up to " + money(max);
        if (amount == null) {
            r.unknown("amount", "Amount requested is not provided; the program lends " + range);
        } else if (min != null && amount < min) {
            r.fail("amount", "Amount requested " + money(amount) + " is below the minimum of " + money(min));
        } else if (max != null && amount > max) {
            r.fail("amount", "Amount requested " + money(amount) + " is above the maximum of " + money(max));
        } else {
            double headroom = max == null ? 1 : (max - amount) / (double) max * 2;
            r.pass("amount", "Amount requested " + money(amount) + " is within " + range, headroom);
        }
    }

    private static void checkEquipmentTypes(ProgramResult r, String type, List<String> allowed, List<String> excluded) {
        boolean hasAllowed = allowed != null && !allowed.isEmpty();
        boolean hasExcluded = excluded != null && !excluded.isEmpty();
        if (!hasAllowed && !hasExcluded) {
            return;
        }
        if (type == null || type.isBlank()) {
            r.unknown("equipment_type", "Equipment type is not provided; the program "
                    + (hasAllowed ? "takes " + String.join(", ", allowed) : "excludes " + String.join(", ", excluded)));
            return;
        }
        if (hasExcluded) {
            for (String entry : excluded) {
                if (Phrases.sameKind(type, entry)) {
                    r.fail("equipment_type", "Equipment type " + type + " is excluded (" + entry + ")");
                    return;
                }
            }
        }
        if (hasAllowed) {
            for (String entry : allowed) {
                if (Phrases.sameKind(type, entry)) {
                    r.pass("equipment_type", "Equipment type " + type + " is accepted (" + entry + ")", 1);
                    return;
                }
            }
            r.fail("equipment_type", "Equipment type " + type + " is not among those accepted: "
                    + String.join(", ", allowed));
            return;
        }
        r.pass("equipment_type", "Equipment type " + type + " is not excluded", 1);
    }

    private static void checkIndustries(LoanApplication app, List<String> excluded, List<CriterionCheck> out) {
        if (excluded == null || excluded.isEmpty()) {
            return;
        }
        boolean hasIndustry = app.industry() != null && !app.industry().isBlank();
        boolean hasNaics = app.naics() != null && !app.naics().isBlank();
        if (!hasIndustry && !hasNaics) {
            out.add(new CriterionCheck("excluded_industries", Outcome.unknown, "Industry is not provided; the lender "
                    + "excludes " + String.join(", ", excluded)));
            return;
        }
        boolean comparedAny = false;
        for (String entry : excluded) {
            boolean code = Phrases.isNaicsCode(entry);
            if (code && hasNaics) {
                comparedAny = true;
                if (app.naics().startsWith(entry)) {
                    out.add(new CriterionCheck("excluded_industries", Outcome.fail, "NAICS " + app.naics()
                            + " falls under excluded NAICS " + entry));
                    return;
                }
            } else if (!code && hasIndustry) {
                comparedAny = true;
                if (Phrases.isIndustry(app.industry(), entry)) {
                    out.add(new CriterionCheck("excluded_industries", Outcome.fail, capitalise(app.industry())
                            + " is an excluded industry (" + entry + ")"));
                    return;
                }
            }
        }
        out.add(comparedAny
                ? new CriterionCheck("excluded_industries", Outcome.pass, capitalise(hasIndustry ? app.industry()
                : "NAICS " + app.naics()) + " is not an excluded industry")
                : new CriterionCheck("excluded_industries", Outcome.unknown, "NAICS code is not provided; the lender "
                + "excludes NAICS " + String.join(", ", excluded)));
    }

    private static void checkStates(LoanApplication app, List<String> excluded, List<String> allowed,
                                    List<CriterionCheck> out) {
        boolean hasExcluded = excluded != null && !excluded.isEmpty();
        boolean hasAllowed = allowed != null && !allowed.isEmpty();
        if (!hasExcluded && !hasAllowed) {
            return;
        }
        String state = app.state();
        if (state == null || state.isBlank()) {
            out.add(new CriterionCheck("state", Outcome.unknown, "State is not provided; the lender "
                    + (hasAllowed ? "serves only " + String.join(", ", allowed) : "excludes " + String.join(", ", excluded))));
        } else if (hasExcluded && excluded.contains(state)) {
            out.add(new CriterionCheck("state", Outcome.fail, state + " is an excluded state"));
        } else if (hasAllowed && !allowed.contains(state)) {
            out.add(new CriterionCheck("state", Outcome.fail, state + " is not among the states served: "
                    + String.join(", ", allowed)));
        } else {
            out.add(new CriterionCheck("state", Outcome.pass, state + " is served"));
        }
    }

    /** $1,250,000 */
    static String money(long dollars) {
        String digits = Long.toString(Math.abs(dollars));
        StringBuilder out = new StringBuilder(digits.length() + 5);
        if (dollars < 0) {
            out.append('-');
        }
        out.append('$');
        int lead = digits.length() % 3;
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (i - lead) % 3 == 0) {
                out.append(',');
            }
            out.append(digits.charAt(i));
        }
        return out.toString();
    }

    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String capitalise(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
