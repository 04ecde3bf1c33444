package ai.kaaj.extraction.llm;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.extraction.CriteriaValidator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** A lender's credit criteria, read by the model from a guideline document. */
public final class CriteriaTarget implements LlmTarget<LenderCriteria> {

    public static final String PURPOSE = "criteria";

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public Class<LenderCriteria> type() {
        return LenderCriteria.class;
    }

    @Override
    public String instructions() {
        return """
                You read commercial lenders' credit guidelines (equipment finance and small-business loans) and \
                return the lender's criteria as JSON that fits the given schema. The text may be one part of a \
                longer document: return only what this part states.
                - programs: one entry per credit program or tier the text defines (for example "Tier A", \
                "Application Only", "Startup Program"); one unnamed program when the text defines a single credit box. \
                A field is null when the text sets no limit for it. Never guess.
                - Money in whole US dollars ("$250K" is 250000). Durations in months ("2 years in business" is 24), \
                except max_equipment_age_years and bankruptcy_lookback_years, in years.
                - min_fico: lowest personal credit score (FICO, Beacon). min_paynet: lowest PayNet score.
                - startups_allowed: true when businesses under two years are considered, false when excluded, \
                null when not stated.
                - min_down_payment_pct: percent, 10 for 10%.
                - excluded_industries: lower-case industry names, or NAICS code prefixes as digits.
                - excluded_states / allowed_states: two-letter US state codes; lender-wide.
                - allowed_equipment_types / excluded_equipment_types: lower-case equipment kinds.
                Answer with the JSON object only.""";
    }

    @Override
    public List<String> check(LenderCriteria answer) {
        return CriteriaValidator.validateFields(CriteriaValidator.normalise(answer));
    }

    @Override
    public LenderCriteria merge(List<LenderCriteria> parts) {
        Map<String, Program> programs = new LinkedHashMap<>();
        for (LenderCriteria part : parts) {
            for (Program program : part.programs() == null ? List.<Program>of() : part.programs()) {
                if (program != null) {
                    programs.merge(key(program), program, (first, later) -> NullFill.fill(first, later, Program.class)
                            .value());
                }
            }
        }
        return new LenderCriteria(new ArrayList<>(programs.values()),
                union(parts, LenderCriteria::excludedIndustries),
                union(parts, LenderCriteria::excludedStates),
                union(parts, LenderCriteria::allowedStates));
    }

    @Override
    public NullFill.Filled<LenderCriteria> fillFrom(LenderCriteria byModel, LenderCriteria byRules) {
        List<Program> modelPrograms = byModel.programs() == null ? List.of() : byModel.programs();
        List<Program> rulePrograms = byRules.programs() == null ? List.of() : byRules.programs();
        boolean changed = false;
        List<Program> programs = new ArrayList<>();
        if (modelPrograms.isEmpty()) {
            programs.addAll(rulePrograms);
            changed = !rulePrograms.isEmpty();
        } else {
            for (Program program : modelPrograms) {
                Program partner = partner(program, modelPrograms, rulePrograms);
                NullFill.Filled<Program> filled = NullFill.fill(program, partner, Program.class);
                programs.add(filled.value());
                changed |= partner != null && filled.changed();
            }
        }
        List<String> excludedIndustries = orElse(byModel.excludedIndustries(), byRules.excludedIndustries());
        List<String> excludedStates = orElse(byModel.excludedStates(), byRules.excludedStates());
        List<String> allowedStates = orElse(byModel.allowedStates(), byRules.allowedStates());
        changed |= excludedIndustries != byModel.excludedIndustries() || excludedStates != byModel.excludedStates()
                || allowedStates != byModel.allowedStates();
        return new NullFill.Filled<>(new LenderCriteria(programs, excludedIndustries, excludedStates, allowedStates),
                changed);
    }

    /**
     * The rule extractor's program for the model's: the one with the same name, else the only one whose
     * name contains the other's ("Gold" and "Gold Tier"), else, when each found a single program, that one.
     */
    private static Program partner(Program program, List<Program> modelPrograms, List<Program> rulePrograms) {
        String name = key(program);
        List<Program> candidates = rulePrograms.stream().filter(p -> p != null && key(p).equals(name)).toList();
        if (candidates.isEmpty() && !name.isEmpty()) {
            candidates = rulePrograms.stream().filter(p -> p != null && !key(p).isEmpty()
                    && (key(p).contains(name) || name.contains(key(p)))).toList();
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return candidates.isEmpty() && modelPrograms.size() == 1 && rulePrograms.size() == 1 ? rulePrograms.get(0)
                : null;
    }

    private static String key(Program program) {
        return program.name() == null ? "" : program.name().strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> orElse(List<String> first, List<String> second) {
        return first != null ? first : second;
    }

    private static List<String> union(List<LenderCriteria> parts, Function<LenderCriteria, List<String>> field) {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        boolean any = false;
        for (LenderCriteria part : parts) {
            List<String> values = field.apply(part);
            if (values != null) {
                any = true;
                all.addAll(values);
            }
        }
        return any ? new ArrayList<>(all) : null;
    }
}
