package ai.kaaj.domain;

import java.time.LocalDate;

/**
 * A borrower's application as brokers send it. Every field but business_name may be missing;
 * a missing field makes the criteria that need it "unknown", never an error.
 * time_in_business_months may instead be derived from business_start_date.
 */
public record LoanApplication(
        String businessName,
        String state,
        String industry,
        String naics,
        Integer timeInBusinessMonths,
        LocalDate businessStartDate,
        Long annualRevenue,
        Long amountRequested,
        Integer termMonths,
        String equipmentType,
        Integer equipmentYear,
        String equipmentCondition,
        Integer fico,
        Integer paynet,
        Double bankruptcyDischargedYearsAgo,
        Double downPaymentPct) {
}
