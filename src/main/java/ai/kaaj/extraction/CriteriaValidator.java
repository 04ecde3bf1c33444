package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The criteria schema's rules, for criteria an operator types in and criteria read from a document:
 * validate lists every problem naming its field path; normalise puts states, industries and equipment
 * types in their canonical form.
 */
public final class CriteriaValidator {

    private CriteriaValidator() {
    }

    public static List<String> validate(LenderCriteria criteria) {
        List<String> errors = new ArrayList<>();
        if (criteria.programs() == null || criteria.programs().isEmpty()) {
            errors.add("programs must not be empty");
        }
        errors.addAll(validateFields(criteria));
        return errors;
    }

    /** The field checks alone: a part of a document may hold no program and still be right. */
    public static List<String> validateFields(LenderCriteria criteria) {
        List<String> errors = new ArrayList<>();
        if (criteria.programs() != null) {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < criteria.programs().size(); i++) {
                Program p = criteria.programs().get(i);
                String at = "programs[" + i + "].";
                if (p == null) {
                    errors.add("programs[" + i + "] must be an object");
                    continue;
                }
                if (p.name() != null && !names.add(p.name().toLowerCase(Locale.ROOT))) {
                    errors.add(at + "name '" + p.name() + "' is used by another program");
                }
                FieldChecks.range(errors, at + "min_fico", p.minFico(), 300, 850);
                FieldChecks.range(errors, at + "min_paynet", p.minPaynet(), 0, 999);
                FieldChecks.range(errors, at + "min_time_in_business_months", p.minTimeInBusinessMonths(), 0, 1200);
                FieldChecks.range(errors, at + "max_term_months", p.maxTermMonths(), 1, 600);
                FieldChecks.range(errors, at + "max_equipment_age_years", p.maxEquipmentAgeYears(), 0, 100);
                FieldChecks.range(errors, at + "bankruptcy_lookback_years", p.bankruptcyLookbackYears(), 0, 100);
                FieldChecks.notNegative(errors, at + "min_annual_revenue", p.minAnnualRevenue());
                FieldChecks.notNegative(errors, at + "min_amount", p.minAmount());
                FieldChecks.notNegative(errors, at + "max_amount", p.maxAmount());
                if (p.minAmount() != null && p.maxAmount() != null && p.maxAmount() < p.minAmount()) {
                    errors.add(at + "max_amount (" + p.maxAmount() + ") is less than min_amount (" + p.minAmount() + ")");
                }
                if (p.minDownPaymentPct() != null && (p.minDownPaymentPct() < 0 || p.minDownPaymentPct() > 100)) {
                    errors.add(at + "min_down_payment_pct must be between 0 and 100, not " + p.minDownPaymentPct());
                }
            }
        }
        states(errors, "excluded_states", criteria.excludedStates());
        states(errors, "allowed_states", criteria.allowedStates());
        return errors;
    }

    /** States as codes, lists trimmed, lower-cased and de-duplicated; program order kept. */
    public static LenderCriteria normalise(LenderCriteria criteria) {
        List<Program> programs = criteria.programs() == null ? null : criteria.programs().stream()
                .map(p -> p == null ? null : new Program(p.name() == null ? null : p.name().strip(), p.minFico(),
                        p.minTimeInBusinessMonths(), p.minAnnualRevenue(), p.minAmount(), p.maxAmount(),
                        p.maxTermMonths(), p.minPaynet(), p.maxEquipmentAgeYears(), words(p.allowedEquipmentTypes()),
                        words(p.excludedEquipmentTypes()), p.startupsAllowed(), p.bankruptcyLookbackYears(),
                        p.minDownPaymentPct()))
                .toList();
        return new LenderCriteria(programs, words(criteria.excludedIndustries()), stateCodes(criteria.excludedStates()),
                stateCodes(criteria.allowedStates()));
    }

    /** True when nothing at all was set: such "criteria" would put no limit on anything. */
    public static boolean isEmpty(LenderCriteria criteria) {
        boolean programsEmpty = criteria.programs() == null || criteria.programs().stream().allMatch(p -> p == null
                || new Program(null, p.minFico(), p.minTimeInBusinessMonths(), p.minAnnualRevenue(), p.minAmount(),
                p.maxAmount(), p.maxTermMonths(), p.minPaynet(), p.maxEquipmentAgeYears(), p.allowedEquipmentTypes(),
                p.excludedEquipmentTypes(), p.startupsAllowed(), p.bankruptcyLookbackYears(), p.minDownPaymentPct())
                .equals(EMPTY_PROGRAM));
        return programsEmpty && criteria.excludedIndustries() == null && criteria.excludedStates() == null
                && criteria.allowedStates() == null;
    }

    private static final Program EMPTY_PROGRAM = new Program(null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    private static List<String> words(List<String> values) {
        if (values == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                out.add(value.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " "));
            }
        }
        return out.isEmpty() ? null : new ArrayList<>(out);
    }

    /** Names and codes become codes; an unknown entry is kept as written so validate can name it. */
    private static List<String> stateCodes(List<String> values) {
        if (values == null) {
            return null;
        }
        Set<String> out = new java.util.TreeSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                out.add(UsStates.toCode(value).orElse(value.strip()));
            }
        }
        return out.isEmpty() ? null : new ArrayList<>(out);
    }

    private static void states(List<String> errors, String field, List<String> states) {
        if (states == null) {
            return;
        }
        for (int i = 0; i < states.size(); i++) {
            if (!UsStates.isCode(states.get(i))) {
                errors.add(field + "[" + i + "] '" + states.get(i) + "' is not a US state code");
            }
        }
    }
}
