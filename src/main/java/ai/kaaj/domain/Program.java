package ai.kaaj.domain;

import java.util.List;

/**
 * One credit program of a lender. Every field is optional: null means the guideline sets no limit.
 * Money is whole USD, durations are months (equipment age and bankruptcy look-back in years, as lenders write them).
 * The name says the program's section and tier ("Medical – Tier B", an en dash between them), so it is unique
 * among the lender's programs. conditions holds, as written, what the guideline states for the program that the
 * fields cannot hold ("700 FICO if no PayNet", "comparable credit required", "+0.50% for titled equipment");
 * matching reports each as a condition to check. Stored criteria written before conditions existed read as null.
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
        Double minDownPaymentPct,
        List<String> conditions) {
}
