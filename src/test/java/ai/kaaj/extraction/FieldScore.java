package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Field-level precision and recall of extracted criteria against what a careful reader recorded.
 * Programs are compared by position; program names are not scored. A scalar field is a true positive
 * when both sides have the same value, a false positive when the extractor set a value the document
 * does not have (or a wrong one), a false negative when the extractor missed or got it wrong. Lists
 * count each element. Reusable for any extractor that produces LenderCriteria.
 */
public final class FieldScore {

    private int truePositives;
    private int falsePositives;
    private int falseNegatives;
    private final List<String> mistakes = new ArrayList<>();

    private static final List<Field> FIELDS = List.of(
            new Field("min_fico", Program::minFico), new Field("min_time_in_business_months",
                    Program::minTimeInBusinessMonths), new Field("min_annual_revenue", Program::minAnnualRevenue),
            new Field("min_amount", Program::minAmount), new Field("max_amount", Program::maxAmount),
            new Field("max_term_months", Program::maxTermMonths), new Field("min_paynet", Program::minPaynet),
            new Field("max_equipment_age_years", Program::maxEquipmentAgeYears),
            new Field("startups_allowed", Program::startupsAllowed),
            new Field("bankruptcy_lookback_years", Program::bankruptcyLookbackYears),
            new Field("min_down_payment_pct", Program::minDownPaymentPct));

    private record Field(String name, Function<Program, Object> value) {
    }

    /** Adds one document's comparison to the totals; returns the document's own score. */
    public FieldScore add(String document, LenderCriteria expected, LenderCriteria actual) {
        FieldScore own = new FieldScore();
        int programs = Math.max(size(expected.programs()), size(actual.programs()));
        for (int i = 0; i < programs; i++) {
            Program want = i < size(expected.programs()) ? expected.programs().get(i) : null;
            Program got = i < size(actual.programs()) ? actual.programs().get(i) : null;
            for (Field field : FIELDS) {
                own.scalar(document + " programs[" + i + "]." + field.name(),
                        want == null ? null : field.value().apply(want), got == null ? null : field.value().apply(got));
            }
            own.list(document + " programs[" + i + "].allowed_equipment_types",
                    want == null ? null : want.allowedEquipmentTypes(), got == null ? null : got.allowedEquipmentTypes());
            own.list(document + " programs[" + i + "].excluded_equipment_types",
                    want == null ? null : want.excludedEquipmentTypes(), got == null ? null : got.excludedEquipmentTypes());
        }
        own.list(document + " excluded_industries", expected.excludedIndustries(), actual.excludedIndustries());
        own.list(document + " excluded_states", expected.excludedStates(), actual.excludedStates());
        own.list(document + " allowed_states", expected.allowedStates(), actual.allowedStates());
        truePositives += own.truePositives;
        falsePositives += own.falsePositives;
        falseNegatives += own.falseNegatives;
        mistakes.addAll(own.mistakes);
        return own;
    }

    private void scalar(String where, Object expected, Object actual) {
        Object want = number(expected);
        Object got = number(actual);
        if (want != null && want.equals(got)) {
            truePositives++;
            return;
        }
        if (got != null) {
            falsePositives++;
        }
        if (want != null) {
            falseNegatives++;
        }
        if (want != null || got != null) {
            mistakes.add(where + ": expected " + expected + ", got " + actual);
        }
    }

    private void list(String where, List<String> expected, List<String> actual) {
        Set<String> want = lower(expected);
        Set<String> got = lower(actual);
        for (String item : got) {
            if (want.contains(item)) {
                truePositives++;
            } else {
                falsePositives++;
                mistakes.add(where + ": unexpected '" + item + "'");
            }
        }
        for (String item : want) {
            if (!got.contains(item)) {
                falseNegatives++;
                mistakes.add(where + ": missed '" + item + "'");
            }
        }
    }

    private static Object number(Object value) {
        return value instanceof Number n ? (Object) n.doubleValue() : value;
    }

    private static Set<String> lower(List<String> values) {
        Set<String> out = new HashSet<>();
        if (values != null) {
            values.stream().filter(Objects::nonNull).forEach(v -> out.add(v.toLowerCase(Locale.ROOT).trim()));
        }
        return out;
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }

    public double precision() {
        return truePositives + falsePositives == 0 ? 1 : truePositives / (double) (truePositives + falsePositives);
    }

    public double recall() {
        return truePositives + falseNegatives == 0 ? 1 : truePositives / (double) (truePositives + falseNegatives);
    }

    public List<String> mistakes() {
        return mistakes;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TP %3d  FP %2d  FN %2d  precision %.3f  recall %.3f", truePositives,
                falsePositives, falseNegatives, precision(), recall());
    }
}
