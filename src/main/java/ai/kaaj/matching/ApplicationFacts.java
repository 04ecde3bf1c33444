package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.extraction.UsStates;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What matching needs from one application on one day, worked out once and shared by every lender and
 * program it is matched against: months in business, equipment age, industry and equipment words,
 * the state code. Immutable, so one instance may be read by many threads.
 */
final class ApplicationFacts {

    final LoanApplication app;
    final LocalDate today;
    /** From time_in_business_months, else from business_start_date up to today; null when neither is given. */
    final Integer monthsInBusiness;
    /** today's year minus equipment_year, never below 0 (a next-model-year unit is new); null without a year. */
    final Integer equipmentAge;
    final boolean equipmentNew;
    /** Industry words, null when no industry is given (or it has no words). */
    final Phrases.Words industry;
    /** The industry as a sentence starts it ("Long-haul trucking"); null when no industry is given. */
    final String industrySubject;
    /** NAICS digits, null when not given. */
    final String naics;
    /** Equipment type words, null when no type is given (or it has no words). */
    final Phrases.Words equipmentType;
    /** Two-letter state code, or null when no state is given or it is not a US state. */
    final String state;
    /** The state as given, trimmed; null when not given. */
    final String stateGiven;

    /** The passing lender-wide checks, the same for every lender that passes them. */
    final CriterionCheck industryNotExcluded;
    final CriterionCheck naicsNotExcluded;
    final CriterionCheck stateNotExcluded;
    final CriterionCheck stateServed;

    ApplicationFacts(LoanApplication app, LocalDate today) {
        this.app = app;
        this.today = today;
        this.monthsInBusiness = monthsInBusiness(app, today);
        this.equipmentAge = app.equipmentYear() == null ? null : Math.max(0, today.getYear() - app.equipmentYear());
        this.equipmentNew = app.equipmentCondition() != null && app.equipmentCondition().trim().equalsIgnoreCase("new");
        this.industry = isBlank(app.industry()) ? null : nonEmpty(Phrases.industryWords(app.industry().trim()));
        this.industrySubject = industry == null ? null : capitalised(industry.text);
        this.naics = naicsDigits(app.naics());
        this.equipmentType = isBlank(app.equipmentType()) ? null
                : nonEmpty(Phrases.equipmentWords(app.equipmentType().trim()));
        this.stateGiven = isBlank(app.state()) ? null : app.state().trim();
        this.state = stateGiven == null ? null : UsStates.toCode(stateGiven).orElse(null);
        this.industryNotExcluded = industry == null ? null : new CriterionCheck(CriterionNames.EXCLUDED_INDUSTRIES,
                Outcome.pass, industrySubject + " is not an excluded industry");
        this.naicsNotExcluded = naics == null ? null : new CriterionCheck(CriterionNames.EXCLUDED_INDUSTRIES,
                Outcome.pass, "NAICS " + naics + " is not an excluded industry");
        this.stateNotExcluded = state == null ? null : new CriterionCheck(CriterionNames.STATE, Outcome.pass,
                state + " is not an excluded state");
        this.stateServed = state == null ? null : new CriterionCheck(CriterionNames.STATE, Outcome.pass,
                state + " is among the states served");
    }

    boolean describes(LoanApplication other, LocalDate day) {
        return app == other && today.equals(day);
    }

    /**
     * Whole months from the start date to today (a business started 2023-12-01 has 30 months on 2026-06-01).
     * A start date after today is a business that has not started: 0 months.
     */
    static Integer monthsInBusiness(LoanApplication app, LocalDate today) {
        if (app.timeInBusinessMonths() != null) {
            return app.timeInBusinessMonths();
        }
        if (app.businessStartDate() != null) {
            return app.businessStartDate().isAfter(today) ? 0
                    : (int) ChronoUnit.MONTHS.between(app.businessStartDate(), today);
        }
        return null;
    }

    /** The digits of a NAICS code as given ("713210", "7132-10"); null when it has none. */
    private static String naicsDigits(String naics) {
        if (naics == null) {
            return null;
        }
        StringBuilder digits = new StringBuilder(6);
        for (int i = 0; i < naics.length(); i++) {
            char c = naics.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            }
        }
        return digits.length() == 0 ? null : digits.toString();
    }

    /** Text without a single word ("--") says nothing: as if not given. */
    private static Phrases.Words nonEmpty(Phrases.Words words) {
        return words.isEmpty() ? null : words;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }

    private static String capitalised(String text) {
        return text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
    }
}
