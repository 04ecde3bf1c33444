package ai.kaaj.matching;

import java.util.List;

/**
 * The names {@link MatchingEngine} writes in {@code CriterionCheck.criterion}. Each is the criteria field it
 * checks; a pair of fields checked together has one name (amount: min_amount and max_amount; equipment_type:
 * allowed_ and excluded_equipment_types; state: excluded_ and allowed_states).
 */
public final class CriterionNames {

    public static final String MIN_FICO = "min_fico";
    public static final String MIN_TIME_IN_BUSINESS_MONTHS = "min_time_in_business_months";
    public static final String MIN_ANNUAL_REVENUE = "min_annual_revenue";
    public static final String AMOUNT = "amount";
    public static final String MAX_TERM_MONTHS = "max_term_months";
    public static final String MIN_PAYNET = "min_paynet";
    public static final String MAX_EQUIPMENT_AGE_YEARS = "max_equipment_age_years";
    public static final String EQUIPMENT_TYPE = "equipment_type";
    public static final String STARTUPS_ALLOWED = "startups_allowed";
    public static final String BANKRUPTCY_LOOKBACK_YEARS = "bankruptcy_lookback_years";
    public static final String MIN_DOWN_PAYMENT_PCT = "min_down_payment_pct";
    /** Lender-wide. */
    public static final String EXCLUDED_INDUSTRIES = "excluded_industries";
    /** Lender-wide. */
    public static final String STATE = "state";
    /** One of a program's conditions, to check with the lender; one check per condition, result unknown. */
    public static final String CONDITION = "condition";

    /** Every name, in the order a result lists its checks. */
    public static final List<String> ALL = List.of(MIN_FICO, MIN_TIME_IN_BUSINESS_MONTHS, MIN_ANNUAL_REVENUE, AMOUNT,
            MAX_TERM_MONTHS, MIN_PAYNET, MAX_EQUIPMENT_AGE_YEARS, EQUIPMENT_TYPE, STARTUPS_ALLOWED,
            BANKRUPTCY_LOOKBACK_YEARS, MIN_DOWN_PAYMENT_PCT, EXCLUDED_INDUSTRIES, STATE, CONDITION);

    private CriterionNames() {
    }
}
