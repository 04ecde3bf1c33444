package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Field-by-field score of extracted criteria against the criteria a careful reader recorded, for any
 * extractor that yields {@link LenderCriteria}. Programs are paired by position (the program name is a
 * label, not a criterion, and is not scored).
 * <ul>
 * <li>scalar field: TP when both are set and equal; FP when the extractor set it and it is not the
 * expected value (expected null or different); FN when the expected value is set and the extractor
 * missed it or got it wrong. A wrong value is therefore one FP and one FN.</li>
 * <li>list field: compared as sets (case and surrounding blanks ignored); each element is a TP, FP or FN.</li>
 * </ul>
 * {@link #add} accumulates totals over documents and returns the document's own score.
 */
public final class FieldScore {

    /** The scalar fields of a program, by their JSON names. */
    private static final List<Scalar> SCALARS = List.of(
            new Scalar("min_fico", Program::minFico),
            new Scalar("min_time_in_business_months", Program::minTimeInBusinessMonths),
            new Scalar("min_annual_revenue", Program::minAnnualRevenue),
            new Scalar("min_amount", Program::minAmount),
            new Scalar("max_amount", Program::maxAmount),
            new Scalar("max_term_months", Program::maxTermMonths),
            new Scalar("min_paynet", Program::minPaynet),
            new Scalar("max_equipment_age_years", Program::maxEquipmentAgeYears),
            new Scalar("startups_allowed", Program::startupsAllowed),
            new Scalar("bankruptcy_lookback_years", Program::bankruptcyLookbackYears),
            new Scalar("min_down_payment_pct", Program::minDownPaymentPct));

    private static final List<ListField> PROGRAM_LISTS = List.of(
            new ListField("allowed_equipment_types", Program::allowedEquipmentTypes),
            new ListField("excluded_equipment_types", Program::excludedEquipmentTypes));

    private record Scalar(String name, Function<Program, Object> get) {
    }

    private record ListField(String name, Function<Program, List<String>> get) {
    }

    private int tp;
    private int fp;
    private int fn;
    private final List<String> mistakes = new ArrayList<>();

    /** Scores one document, adds it to these totals and returns the document's own score. */
    public FieldScore add(String document, LenderCriteria expected, LenderCriteria extracted) {
        FieldScore doc = new FieldScore();
        List<Program> want = programs(expected);
        List<Program> got = programs(extracted);
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            Program w = i < want.size() ? want.get(i) : null;
            Program g = i < got.size() ? got.get(i) : null;
            String at = document + " programs[" + i + "].";
            for (Scalar field : SCALARS) {
                doc.scalar(at + field.name(), w == null ? null : field.get().apply(w),
                        g == null ? null : field.get().apply(g));
            }
            for (ListField field : PROGRAM_LISTS) {
                doc.list(at + field.name(), w == null ? null : field.get().apply(w),
                        g == null ? null : field.get().apply(g));
            }
        }
        doc.list(document + " excluded_industries", expected == null ? null : expected.excludedIndustries(),
                extracted == null ? null : extracted.excludedIndustries());
        doc.list(document + " excluded_states", expected == null ? null : expected.excludedStates(),
                extracted == null ? null : extracted.excludedStates());
        doc.list(document + " allowed_states", expected == null ? null : expected.allowedStates(),
                extracted == null ? null : extracted.allowedStates());
        tp += doc.tp;
        fp += doc.fp;
        fn += doc.fn;
        mistakes.addAll(doc.mistakes);
        return doc;
    }

    /** Adds another score's totals (for combining per-document scores computed elsewhere). */
    public FieldScore addAll(FieldScore other) {
        tp += other.tp;
        fp += other.fp;
        fn += other.fn;
        mistakes.addAll(other.mistakes);
        return this;
    }

    void scalar(String where, Object expected, Object extracted) {
        if (expected == null && extracted == null) {
            return;
        }
        if (expected != null && extracted != null && same(expected, extracted)) {
            tp++;
            return;
        }
        if (extracted != null) {
            fp++;
        }
        if (expected != null) {
            fn++;
        }
        mistakes.add(where + ": expected " + expected + ", extracted " + extracted);
    }

    void list(String where, List<String> expected, List<String> extracted) {
        Set<String> want = elements(expected);
        Set<String> got = elements(extracted);
        for (String item : got) {
            if (want.contains(item)) {
                tp++;
            } else {
                fp++;
                mistakes.add(where + ": extracted '" + item + "' not expected");
            }
        }
        for (String item : want) {
            if (!got.contains(item)) {
                fn++;
                mistakes.add(where + ": missed '" + item + "'");
            }
        }
    }

    /** Numbers compare by value whatever their type (10 equals 10.0); anything else by equals. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return a.equals(b);
    }

    private static Set<String> elements(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values != null) {
            for (String v : values) {
                if (v != null && !v.isBlank()) {
                    out.add(v.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    private static List<Program> programs(LenderCriteria criteria) {
        return criteria == null || criteria.programs() == null ? List.of() : criteria.programs();
    }

    public int truePositives() {
        return tp;
    }

    public int falsePositives() {
        return fp;
    }

    public int falseNegatives() {
        return fn;
    }

    /** TP / (TP + FP); 1 when nothing was extracted at all. */
    public double precision() {
        return tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    }

    /** TP / (TP + FN); 1 when nothing was expected at all. */
    public double recall() {
        return tp + fn == 0 ? 1.0 : (double) tp / (tp + fn);
    }

    /** One line per wrong, missed or unexpected value, naming the document and field. */
    public List<String> mistakes() {
        return Collections.unmodifiableList(mistakes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TP %4d  FP %3d  FN %3d  precision %.3f  recall %.3f", tp, fp, fn,
                precision(), recall());
    }
}
