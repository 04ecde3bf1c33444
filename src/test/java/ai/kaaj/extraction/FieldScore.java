package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Field-by-field score of extracted criteria against the criteria a careful reader recorded, for any
 * extractor that yields {@link LenderCriteria}. Programs are paired by best agreement, not by position, so a
 * document with several sections is scored fairly whatever order the extractor lists them in: first programs
 * whose normalised names are the same, then, repeatedly, the remaining pair with the most agreeing values;
 * what is left over is unpaired (all its values missed or unexpected). The name itself is a label and is not
 * scored, nor are a program's free-text conditions.
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
    /** The mistakes where the extractor set a value a careful reader did not record (false positives). */
    private final List<String> wrongValues = new ArrayList<>();
    /** Per field name (min_fico, excluded_industries…): false positives and false negatives. */
    private final Map<String, int[]> byField = new TreeMap<>();

    /** Scores one document, adds it to these totals and returns the document's own score. */
    public FieldScore add(String document, LenderCriteria expected, LenderCriteria extracted) {
        FieldScore doc = new FieldScore();
        List<Program> want = programs(expected);
        List<Program> got = programs(extracted);
        for (Pair pair : pairs(want, got)) {
            Program w = pair.expected() < 0 ? null : want.get(pair.expected());
            Program g = pair.extracted() < 0 ? null : got.get(pair.extracted());
            String at = document + " " + label(w, pair.expected(), g, pair.extracted()) + ".";
            for (Scalar field : SCALARS) {
                doc.scalar(at, field.name(), w == null ? null : field.get().apply(w),
                        g == null ? null : field.get().apply(g));
            }
            for (ListField field : PROGRAM_LISTS) {
                doc.list(at, field.name(), w == null ? null : field.get().apply(w),
                        g == null ? null : field.get().apply(g));
            }
        }
        doc.list(document + " ", "excluded_industries", expected == null ? null : expected.excludedIndustries(),
                extracted == null ? null : extracted.excludedIndustries());
        doc.list(document + " ", "excluded_states", expected == null ? null : expected.excludedStates(),
                extracted == null ? null : extracted.excludedStates());
        doc.list(document + " ", "allowed_states", expected == null ? null : expected.allowedStates(),
                extracted == null ? null : extracted.allowedStates());
        tp += doc.tp;
        fp += doc.fp;
        fn += doc.fn;
        mistakes.addAll(doc.mistakes);
        wrongValues.addAll(doc.wrongValues);
        doc.byField.forEach(this::count);
        return doc;
    }

    /** Indexes of an expected and an extracted program scored against each other; -1 for "none". */
    record Pair(int expected, int extracted) {
    }

    /**
     * Expected programs paired with extracted ones: same normalised name first, then the pair with the most
     * agreeing values (ties to the earliest), and a pair only where something agrees; leftovers pair with none.
     * Returned in expected order, unpaired extracted programs last.
     */
    static List<Pair> pairs(List<Program> want, List<Program> got) {
        int[] match = new int[want.size()];
        Arrays.fill(match, -1);
        boolean[] taken = new boolean[got.size()];
        for (int w = 0; w < want.size(); w++) {
            for (int g = 0; g < got.size(); g++) {
                if (!taken[g] && sameName(want.get(w), got.get(g))) {
                    match[w] = g;
                    taken[g] = true;
                    break;
                }
            }
        }
        while (true) {
            int bestW = -1;
            int bestG = -1;
            int best = 0;
            for (int w = 0; w < want.size(); w++) {
                for (int g = 0; match[w] < 0 && g < got.size(); g++) {
                    int agreeing = taken[g] ? 0 : agreement(want.get(w), got.get(g));
                    if (agreeing > best) {
                        best = agreeing;
                        bestW = w;
                        bestG = g;
                    }
                }
            }
            if (bestW < 0) {
                break;
            }
            match[bestW] = bestG;
            taken[bestG] = true;
        }
        List<Pair> pairs = new ArrayList<>();
        for (int w = 0; w < want.size(); w++) {
            pairs.add(new Pair(w, match[w]));
        }
        for (int g = 0; g < got.size(); g++) {
            if (!taken[g]) {
                pairs.add(new Pair(-1, g));
            }
        }
        return pairs;
    }

    /** How many values two programs have in common: equal scalar fields and shared list elements. */
    private static int agreement(Program a, Program b) {
        if (a == null || b == null) {
            return 0;
        }
        int agreeing = 0;
        for (Scalar field : SCALARS) {
            Object x = field.get().apply(a);
            Object y = field.get().apply(b);
            if (x != null && y != null && same(x, y)) {
                agreeing++;
            }
        }
        for (ListField field : PROGRAM_LISTS) {
            Set<String> shared = elements(field.get().apply(a));
            shared.retainAll(elements(field.get().apply(b)));
            agreeing += shared.size();
        }
        return agreeing;
    }

    private static boolean sameName(Program a, Program b) {
        String x = normalisedName(a);
        return x != null && x.equals(normalisedName(b));
    }

    /** Case, dashes, punctuation and spacing ignored: "Medical – Tier B" is "medical tier b". */
    static String normalisedName(Program p) {
        if (p == null || p.name() == null) {
            return null;
        }
        String name = p.name().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
        return name.isEmpty() ? null : name;
    }

    /** Where a mistake is: the expected program's name when there is one, else the extracted one's. */
    private static String label(Program want, int wantIndex, Program got, int gotIndex) {
        Program named = want != null ? want : got;
        String side = want != null ? "programs[" + wantIndex + "]" : "extra programs[" + gotIndex + "]";
        return named != null && named.name() != null ? side + " '" + named.name() + "'" : side;
    }

    /** Adds another score's totals (for combining per-document scores computed elsewhere). */
    public FieldScore addAll(FieldScore other) {
        tp += other.tp;
        fp += other.fp;
        fn += other.fn;
        mistakes.addAll(other.mistakes);
        wrongValues.addAll(other.wrongValues);
        other.byField.forEach(this::count);
        return this;
    }

    void scalar(String at, String field, Object expected, Object extracted) {
        if (expected == null && extracted == null) {
            return;
        }
        if (expected != null && extracted != null && same(expected, extracted)) {
            tp++;
            return;
        }
        int falsePositive = extracted != null ? 1 : 0;
        int falseNegative = expected != null ? 1 : 0;
        fp += falsePositive;
        fn += falseNegative;
        count(field, new int[] {falsePositive, falseNegative});
        mistake(at + field + ": expected " + expected + ", extracted " + extracted, extracted != null);
    }

    void list(String at, String field, List<String> expected, List<String> extracted) {
        Set<String> want = elements(expected);
        Set<String> got = elements(extracted);
        for (String item : got) {
            if (want.contains(item)) {
                tp++;
            } else {
                fp++;
                count(field, new int[] {1, 0});
                mistake(at + field + ": extracted '" + item + "' not expected", true);
            }
        }
        for (String item : want) {
            if (!got.contains(item)) {
                fn++;
                count(field, new int[] {0, 1});
                mistake(at + field + ": missed '" + item + "'", false);
            }
        }
    }

    private void mistake(String line, boolean wrongValue) {
        mistakes.add(line);
        if (wrongValue) {
            wrongValues.add(line);
        }
    }

    private void count(String field, int[] falsePositivesAndNegatives) {
        int[] counts = byField.computeIfAbsent(field, f -> new int[2]);
        counts[0] += falsePositivesAndNegatives[0];
        counts[1] += falsePositivesAndNegatives[1];
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

    /** Harmonic mean of precision and recall. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Per field name, its false positives and false negatives, the fields with most errors first. */
    public List<Map.Entry<String, int[]>> errorsByField() {
        List<Map.Entry<String, int[]>> fields = new ArrayList<>(byField.entrySet());
        fields.sort((a, b) -> Integer.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]));
        return fields;
    }

    /** One line per wrong, missed or unexpected value, naming the document and field. */
    public List<String> mistakes() {
        return Collections.unmodifiableList(mistakes);
    }

    /** The mistakes that set a wrong or unexpected value: the ones that cost a deal, not a question. */
    public List<String> wrongValues() {
        return Collections.unmodifiableList(wrongValues);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TP %4d  FP %3d  FN %3d  precision %.3f  recall %.3f  F1 %.3f", tp, fp,
                fn, precision(), recall(), f1());
    }
}
