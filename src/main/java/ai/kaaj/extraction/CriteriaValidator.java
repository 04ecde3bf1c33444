package ai.kaaj.extraction;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.extraction.SourcedCriteria.SourcedProgram;
import ai.kaaj.extraction.SourcedCriteria.Value;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The criteria schema's rules. Criteria an operator types in must pass them ({@link #validate} lists every problem
 * naming its field path). Criteria read from a document are {@link #review reviewed} instead: what a document says
 * never fails a lender, so a value that breaks a rule is dropped with a warning and the rest is kept.
 * {@link #normalise} puts states, industries and equipment types in their canonical form.
 */
public final class CriteriaValidator {

    /** Fewer program values than this read from a document is too little to trust without a look. */
    static final int FEW_VALUES = 3;
    /** A condition is a guideline's sentence, not a page. */
    static final int CONDITION_LIMIT = 500;

    private CriteriaValidator() {
    }

    /** A broken rule: the values it concerns (by path) and the sentence naming them. */
    record Problem(List<String> paths, String message) {
    }

    /** Every problem of operator-typed criteria: no programs, duplicate names, values that break a rule. */
    public static List<String> validate(LenderCriteria criteria) {
        List<String> errors = new ArrayList<>();
        if (criteria.programs() == null || criteria.programs().isEmpty()) {
            errors.add("programs must not be empty");
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < criteria.programs().size(); i++) {
                Program p = criteria.programs().get(i);
                if (p == null) {
                    errors.add("programs[" + i + "] must be an object");
                } else if (p.name() != null && !names.add(p.name().toLowerCase(Locale.ROOT))) {
                    errors.add("programs[" + i + "].name '" + p.name() + "' is used by another program");
                }
            }
        }
        errors.addAll(validateFields(criteria));
        return errors;
    }

    /** The value rules alone: a part of a document may hold no program and still be right. */
    public static List<String> validateFields(LenderCriteria criteria) {
        return problems(criteria).stream().map(Problem::message).toList();
    }

    static List<Problem> problems(LenderCriteria criteria) {
        List<Problem> problems = new ArrayList<>();
        if (criteria.programs() != null) {
            for (int i = 0; i < criteria.programs().size(); i++) {
                Program p = criteria.programs().get(i);
                if (p != null) {
                    programProblems(problems, "programs[" + i + "].", p);
                }
            }
        }
        states(problems, "excluded_states", criteria.excludedStates());
        states(problems, "allowed_states", criteria.allowedStates());
        return problems;
    }

    private static void programProblems(List<Problem> problems, String at, Program p) {
        add(problems, at + "min_fico", FieldChecks.outOfRange(at + "min_fico", p.minFico(), 300, 850));
        add(problems, at + "min_paynet", FieldChecks.outOfRange(at + "min_paynet", p.minPaynet(), 0, 999));
        add(problems, at + "min_time_in_business_months", FieldChecks.outOfRange(at + "min_time_in_business_months",
                p.minTimeInBusinessMonths(), 0, 1200));
        add(problems, at + "max_term_months", FieldChecks.outOfRange(at + "max_term_months", p.maxTermMonths(), 1, 600));
        add(problems, at + "max_equipment_age_years", FieldChecks.outOfRange(at + "max_equipment_age_years",
                p.maxEquipmentAgeYears(), 0, 100));
        add(problems, at + "bankruptcy_lookback_years", FieldChecks.outOfRange(at + "bankruptcy_lookback_years",
                p.bankruptcyLookbackYears(), 0, 100));
        add(problems, at + "min_annual_revenue", FieldChecks.negative(at + "min_annual_revenue", p.minAnnualRevenue()));
        add(problems, at + "min_amount", FieldChecks.negative(at + "min_amount", p.minAmount()));
        add(problems, at + "max_amount", FieldChecks.negative(at + "max_amount", p.maxAmount()));
        if (p.minAmount() != null && p.maxAmount() != null && p.maxAmount() < p.minAmount()) {
            // Which of the two was misread cannot be told, so neither is trusted.
            problems.add(new Problem(List.of(at + "min_amount", at + "max_amount"), at + "max_amount ("
                    + p.maxAmount() + ") is less than min_amount (" + p.minAmount() + ")"));
        }
        if (p.minDownPaymentPct() != null && (p.minDownPaymentPct() < 0 || p.minDownPaymentPct() > 100)) {
            problems.add(new Problem(List.of(at + "min_down_payment_pct"), at
                    + "min_down_payment_pct must be between 0 and 100, not " + p.minDownPaymentPct()));
        }
        if (p.conditions() != null) {
            for (int j = 0; j < p.conditions().size(); j++) {
                String condition = p.conditions().get(j);
                if (condition != null && condition.length() > CONDITION_LIMIT) {
                    problems.add(new Problem(List.of(at + "conditions[" + j + "]"), at + "conditions[" + j
                            + "] is longer than " + CONDITION_LIMIT + " characters"));
                }
            }
        }
    }

    private static void add(List<Problem> problems, String path, String message) {
        if (message != null) {
            problems.add(new Problem(List.of(path), message));
        }
    }

    private static void states(List<Problem> problems, String field, List<String> states) {
        if (states == null) {
            return;
        }
        for (int i = 0; i < states.size(); i++) {
            if (!UsStates.isCode(states.get(i))) {
                problems.add(new Problem(List.of(field + "[" + i + "]"), field + "[" + i + "] '" + states.get(i)
                        + "' is not a US state code"));
            }
        }
    }

    /**
     * A document's reading made fit to use: normalised; each value that breaks a rule dropped with a warning
     * naming the field, the rule and the quoted text; programs of the same name told apart (the later ones
     * numbered, with a warning); a warning when little or nothing was read. Never fails: what the document says
     * is for an operator to review, not a reason to refuse the lender. Nothing read gives no programs at all, so
     * that matching cannot take an empty program for one without limits.
     */
    public static CriteriaReading review(CriteriaReading reading) {
        SourcedCriteria sourced = normalised(SourcedCriteria.of(reading.criteria(), reading.evidence()));
        Map<String, Evidence> evidence = sourced.reading(List.of()).evidence();
        List<String> warnings = new ArrayList<>(reading.warnings());
        Set<String> dropped = new HashSet<>();
        for (Problem problem : problems(sourced.criteria())) {
            StringBuilder warning = new StringBuilder(problem.message()).append(": ")
                    .append(problem.paths().size() == 1 ? "dropped" : "both dropped");
            new LinkedHashSet<>(problem.paths().stream().map(evidence::get)
                    .filter(e -> e != null && !e.citation().isEmpty()).toList())
                    .forEach(e -> warning.append(e.citation()));
            warnings.add(warning.toString());
            dropped.addAll(problem.paths());
        }
        sourced.drop(dropped);
        qualifyDuplicateNames(sourced, warnings);
        int values = programValues(sourced);
        if (isEmpty(sourced.criteria())) {
            sourced.programs = List.of();
            warnings.add("no credit criteria could be read from the document: enter them by hand "
                    + "(PUT /api/lenders/{id}/criteria)");
        } else if (values < FEW_VALUES) {
            warnings.add("only " + values + " program value" + (values == 1 ? " was" : "s were")
                    + " read from the document: check it for the criteria that were missed");
        }
        return sourced.reading(warnings);
    }

    /** The second and later programs of a name already used are numbered: "Tier 3 (2)". */
    private static void qualifyDuplicateNames(SourcedCriteria sourced, List<String> warnings) {
        if (sourced.programs == null) {
            return;
        }
        Map<String, Integer> firstIndex = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        sourced.programs.forEach(p -> {
            if (p.name() != null) {
                taken.add(p.name().toLowerCase(Locale.ROOT));
            }
        });
        for (int i = 0; i < sourced.programs.size(); i++) {
            SourcedProgram program = sourced.programs.get(i);
            String name = program.name();
            if (name == null) {
                continue;
            }
            Integer first = firstIndex.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            if (first == null) {
                continue;
            }
            int n = 2;
            while (taken.contains((name + " (" + n + ")").toLowerCase(Locale.ROOT))) {
                n++;
            }
            String unique = name + " (" + n + ")";
            taken.add(unique.toLowerCase(Locale.ROOT));
            Value old = program.fields.get("name");
            program.fields.put("name", new Value(TextNode.valueOf(unique), old.evidence()));
            warnings.add("programs[" + i + "].name '" + name + "' is also the name of programs[" + first
                    + "]: renamed '" + unique + "'; name the section it belongs to"
                    + (old.evidence() == null ? "" : old.evidence().citation()));
        }
    }

    /** How many values the programs set, a list's items one by one, names and conditions aside. */
    private static int programValues(SourcedCriteria sourced) {
        int values = 0;
        for (SourcedProgram program : sourced.programs == null ? List.<SourcedProgram>of() : sourced.programs) {
            values += program.fields.size() - (program.fields.containsKey("name") ? 1 : 0);
            for (Map.Entry<String, List<Value>> list : program.lists.entrySet()) {
                values += list.getKey().equals("conditions") ? 0 : list.getValue().size();
            }
        }
        return values;
    }

    /** States as codes, lists trimmed, lower-cased (conditions keep their case) and de-duplicated; program order kept. */
    public static LenderCriteria normalise(LenderCriteria criteria) {
        return normalised(SourcedCriteria.of(criteria, Map.of())).criteria();
    }

    private static SourcedCriteria normalised(SourcedCriteria sourced) {
        if (sourced.programs != null) {
            for (SourcedProgram program : sourced.programs) {
                Value name = program.fields.get("name");
                if (name != null) {
                    program.fields.put("name", new Value(TextNode.valueOf(name.value().asText().strip()),
                            name.evidence()));
                }
                distinct(program.lists, "allowed_equipment_types", CriteriaValidator::word);
                distinct(program.lists, "excluded_equipment_types", CriteriaValidator::word);
                distinct(program.lists, "conditions", text -> text.strip().replaceAll("\\s+", " "));
            }
        }
        distinct(sourced.lists, "excluded_industries", CriteriaValidator::word);
        stateCodes(sourced.lists, "excluded_states");
        stateCodes(sourced.lists, "allowed_states");
        return sourced;
    }

    private static String word(String value) {
        return value.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** The list's items in their canonical form, blanks and repeats left out (a repeat's first evidence kept). */
    private static void distinct(Map<String, List<Value>> lists, String field, UnaryOperator<String> canonical) {
        List<Value> items = lists.get(field);
        if (items == null) {
            return;
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (Value item : items) {
            if (item.value().isTextual() && !item.value().asText().isBlank()) {
                String text = canonical.apply(item.value().asText());
                out.putIfAbsent(text, new Value(TextNode.valueOf(text), item.evidence()));
            }
        }
        put(lists, field, new ArrayList<>(out.values()));
    }

    /** Names and codes become codes, sorted; an unknown entry is kept as written so the rules can name it. */
    private static void stateCodes(Map<String, List<Value>> lists, String field) {
        List<Value> items = lists.get(field);
        if (items == null) {
            return;
        }
        Map<String, Value> out = new TreeMap<>();
        for (Value item : items) {
            if (item.value().isTextual() && !item.value().asText().isBlank()) {
                String code = UsStates.toCode(item.value().asText()).orElse(item.value().asText().strip());
                out.putIfAbsent(code, new Value(TextNode.valueOf(code), item.evidence()));
            }
        }
        put(lists, field, new ArrayList<>(out.values()));
    }

    private static void put(Map<String, List<Value>> lists, String field, List<Value> items) {
        if (items.isEmpty()) {
            lists.remove(field);
        } else {
            lists.put(field, items);
        }
    }

    /** True when nothing at all was set but program names: such "criteria" would put no limit on anything. */
    public static boolean isEmpty(LenderCriteria criteria) {
        return CriteriaReading.values(criteria).keySet().stream().allMatch(path -> path.matches("programs\\[\\d+]\\.name"));
    }
}
