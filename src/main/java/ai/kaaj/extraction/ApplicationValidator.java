package ai.kaaj.extraction;

import ai.kaaj.domain.LoanApplication;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a loan application's values and normalises them (state to its two-letter code, equipment
 * condition and type to lower case). Missing fields are fine: they make criteria unknown.
 */
public final class ApplicationValidator {

    private static final int MAX_TEXT_FIELD = 200;

    private ApplicationValidator() {
    }

    /** The errors, each naming its field; empty when the application is acceptable. */
    public static List<String> validate(LoanApplication app, LocalDate today) {
        List<String> errors = new ArrayList<>();
        if (app.businessName() == null || app.businessName().isBlank()) {
            errors.add("business_name is required");
        }
        errors.addAll(validateFields(app, today));
        return errors;
    }

    /** The field checks alone: a page of a form may not hold the business name and still be right. */
    public static List<String> validateFields(LoanApplication app, LocalDate today) {
        List<String> errors = new ArrayList<>();
        if (app.businessName() != null && app.businessName().length() > 300) {
            errors.add("business_name is longer than 300 characters");
        }
        textLength(errors, "industry", app.industry());
        textLength(errors, "equipment_type", app.equipmentType());
        if (app.state() != null && UsStates.toCode(app.state()).isEmpty()) {
            errors.add("state '" + app.state() + "' is not a US state code or name");
        }
        if (app.naics() != null && !app.naics().matches("\\d{2,6}")) {
            errors.add("naics '" + app.naics() + "' must be 2 to 6 digits");
        }
        FieldChecks.range(errors, "fico", app.fico(), 300, 850);
        FieldChecks.range(errors, "paynet", app.paynet(), 0, 999);
        FieldChecks.range(errors, "time_in_business_months", app.timeInBusinessMonths(), 0, 2400);
        FieldChecks.range(errors, "term_months", app.termMonths(), 1, 600);
        FieldChecks.range(errors, "equipment_year", app.equipmentYear(), 1900, today.getYear() + 2);
        FieldChecks.notNegative(errors, "annual_revenue", app.annualRevenue());
        if (app.amountRequested() != null && app.amountRequested() <= 0) {
            errors.add("amount_requested must be greater than 0, not " + app.amountRequested());
        }
        // written so that NaN fails too: it would compare false with every minimum
        if (app.downPaymentPct() != null && !(app.downPaymentPct() >= 0 && app.downPaymentPct() <= 100)) {
            errors.add("down_payment_pct must be between 0 and 100, not " + app.downPaymentPct());
        }
        if (app.bankruptcyDischargedYearsAgo() != null
                && !(app.bankruptcyDischargedYearsAgo() >= 0 && app.bankruptcyDischargedYearsAgo() <= 200)) {
            errors.add("bankruptcy_discharged_years_ago must be between 0 and 200, not "
                    + app.bankruptcyDischargedYearsAgo());
        }
        if (app.businessStartDate() != null && app.businessStartDate().isAfter(today)) {
            errors.add("business_start_date " + app.businessStartDate() + " is in the future");
        }
        if (app.equipmentCondition() != null
                && !List.of("new", "used").contains(app.equipmentCondition().trim().toLowerCase(Locale.ROOT))) {
            errors.add("equipment_condition must be new or used, not '" + app.equipmentCondition() + "'");
        }
        return errors;
    }

    private static void textLength(List<String> errors, String field, String value) {
        if (value != null && value.length() > MAX_TEXT_FIELD) {
            errors.add(field + " is longer than " + MAX_TEXT_FIELD + " characters");
        }
    }

    /** A copy with the state as its code and the free-text fields trimmed; call after validate. */
    public static LoanApplication normalise(LoanApplication app) {
        return new LoanApplication(
                app.businessName() == null ? null : app.businessName().strip(),
                app.state() == null ? null : UsStates.toCode(app.state()).orElse(app.state()),
                lower(app.industry()),
                app.naics(),
                app.timeInBusinessMonths(),
                app.businessStartDate(),
                app.annualRevenue(),
                app.amountRequested(),
                app.termMonths(),
                lower(app.equipmentType()),
                app.equipmentYear(),
                lower(app.equipmentCondition()),
                app.fico(),
                app.paynet(),
                app.bankruptcyDischargedYearsAgo(),
                app.downPaymentPct());
    }

    private static String lower(String value) {
        return value == null || value.isBlank() ? null : value.strip().toLowerCase(Locale.ROOT);
    }
}
