package ai.kaaj.domain;

import java.util.List;

/**
 * One credit program of a lender. Every field is optional: null means the guideline sets no limit.
 * Money is whole USD, durations are months (equipment age and bankruptcy look-back in years, as lenders write them).
 */
public record Program(
        String name,
        Integer minFico,
        Integer minTimeInBusinessMonths,
        Long minAnnualRevenue,
        Long minAmount,
        Long maxAmount,
        Integer maxTermMonths,
        Integer minPaynet,
        Integer maxEquipmentAgeYears,
        List<String> allowedEquipmentTypes,
        List<String> excludedEquipmentTypes,
        Boolean startupsAllowed,
        Integer bankruptcyLookbackYears,
        Double minDownPaymentPct) {
}
