package ai.kaaj.extraction.llm;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.extraction.CriteriaValidator;
import ai.kaaj.extraction.SourcedCriteria;
import ai.kaaj.extraction.SourcedCriteria.SourcedProgram;
import ai.kaaj.extraction.SourcedCriteria.Value;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lender's credit criteria, read by the model from a guideline document. The model quotes the text each value
 * comes from; a quote is looked up in the text it was sent to find the value's page, and a value whose quote is
 * missing or not in that text is dropped with a warning: a value nobody can check is not used.
 */
public final class CriteriaTarget implements LlmTarget<CriteriaReading> {

    public static final String PURPOSE = "criteria";

    /** The page headers {@link LlmExtractor#parts} writes. */
    private static final Pattern PAGE_HEADER = Pattern.compile("\\[page (\\d+)(?:, continued)?]");

    @Override
    public String purpose() {
        return PURPOSE;
    }

    @Override
    public String instructions() {
        return """
                You read commercial lenders' credit guidelines (equipment finance and small-business loans) and \
                return the lender's criteria as JSON that fits the given schema. The text may be one part of a \
                longer document: return only what this part states.
                - programs: one entry per credit program or tier the text defines (for example "Tier A", \
                "Application Only", "Startup Program"); one unnamed program when the text defines a single credit box. \
                When the document has product sections that each have tiers, each (section, tier) is a program named \
                with both, an en dash between them: "Medical – Tier B". A program takes the rules its section and the \
                whole document set. A field is null when the text sets no limit for it. Never guess: when you cannot \
                tell which program a value belongs to, or what a number means, leave it out.
                - Money in whole US dollars ("$250K" is 250000). Durations in months ("2 years in business" is 24), \
                except max_equipment_age_years and bankruptcy_lookback_years, in years.
                - min_fico: lowest personal credit score (FICO, Beacon). min_paynet: lowest PayNet score.
                - startups_allowed: true when businesses under two years are considered, false when excluded, \
                null when not stated.
                - min_down_payment_pct: percent, 10 for 10%.
                - excluded_industries: lower-case industry names, or NAICS code prefixes as digits.
                - excluded_states / allowed_states: two-letter US state codes; lender-wide.
                - allowed_equipment_types / excluded_equipment_types: lower-case equipment kinds.
                - conditions: what the text states for a program that the other fields cannot hold, one short \
                sentence each as written: rules that depend on missing data or on the deal ("700 FICO if no \
                PayNet", time in business rising with the amount), comparable credit, soft costs, mileage or \
                equipment-age term grids, whose score or which bureau ("all guarantors", "Equifax"), soft rules \
                ("may be considered with mitigating factors", "cautionary"), pricing add-ons ("+0.50% for titled \
                equipment"). null when there are none.
                - evidence: one entry for every value you return (every non-null program field, every list item): \
                field is its path, as "programs[0].min_fico", "programs[1].conditions[0]", "excluded_industries[2]"; \
                quote is the text of the document the value was read from, copied exactly (at most 200 characters). \
                A value without a quote that is in the document is discarded.
                Answer with the JSON object only.""";
    }

    /** The criteria of one part's answer, each value with its quote's page; unquoted values dropped with a warning. */
    @Override
    public CriteriaReading read(JsonNode answer, String partText) throws JsonProcessingException {
        ObjectNode criteriaNode = answer.deepCopy();
        JsonNode quotes = criteriaNode.remove("evidence");
        LenderCriteria criteria = Json.MAPPER.treeToValue(criteriaNode, LenderCriteria.class);
        Map<String, String> quoteByField = new LinkedHashMap<>();
        if (quotes != null && quotes.isArray()) {
            for (JsonNode quote : quotes) {
                if (quote.path("field").isTextual() && quote.path("quote").isTextual()) {
                    quoteByField.putIfAbsent(quote.get("field").asText().strip(), quote.get("quote").asText());
                }
            }
        }
        Map<String, Evidence> evidence = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        Set<String> unquoted = new HashSet<>();
        for (Map.Entry<String, JsonNode> value : CriteriaReading.values(criteria).entrySet()) {
            String path = value.getKey();
            String quote = quoteByField.getOrDefault(path, quoteByField.get(path.replaceFirst("\\[\\d+]$", "")));
            Evidence found = quote == null ? null : locate(quote, partText);
            if (found != null) {
                evidence.put(path, found);
            } else if (!path.endsWith(".name")) {
                // a program's name is a label, not a limit: kept without a quote
                unquoted.add(path);
                warnings.add(path + " " + value.getValue() + " dropped: " + (quote == null
                        ? "the model gave no quote for it"
                        : "its quote \"" + Evidence.cap(quote, Evidence.QUOTE_LIMIT) + "\" is not in the document"));
            }
        }
        SourcedCriteria sourced = SourcedCriteria.of(criteria, evidence);
        sourced.drop(unquoted);
        return sourced.reading(warnings);
    }

    /**
     * The evidence of a quote found in the part's text (case and whitespace aside): the page of the header
     * before it. Null when the text does not hold it.
     */
    static Evidence locate(String quote, String partText) {
        String wanted = flat(quote);
        if (wanted.isEmpty()) {
            return null;
        }
        String text = flat(partText);
        int at = text.indexOf(wanted);
        if (at < 0) {
            return null;
        }
        Integer page = null;
        Matcher header = PAGE_HEADER.matcher(text);
        while (header.find() && header.start() < at) {
            page = Integer.valueOf(header.group(1));
        }
        return page == null ? null : Evidence.onPage(page, quote, null);
    }

    private static String flat(String text) {
        return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    @Override
    public List<String> check(CriteriaReading answer) {
        return CriteriaValidator.validateFields(CriteriaValidator.normalise(answer.criteria()));
    }

    /** Programs of the same name are one, the first part's values first; lender-wide lists are united. */
    @Override
    public CriteriaReading merge(List<CriteriaReading> parts) {
        Map<String, SourcedProgram> programs = new LinkedHashMap<>();
        SourcedCriteria merged = new SourcedCriteria();
        List<String> warnings = new ArrayList<>();
        for (CriteriaReading part : parts) {
            SourcedCriteria sourced = SourcedCriteria.of(part.criteria(), part.evidence());
            for (SourcedProgram program : sourced.programs == null ? List.<SourcedProgram>of() : sourced.programs) {
                SourcedProgram first = programs.putIfAbsent(key(program), program);
                if (first != null) {
                    fill(first, program);
                }
            }
            sourced.lists.forEach((field, items) -> {
                List<Value> into = merged.lists.computeIfAbsent(field, f -> new ArrayList<>());
                items.stream().filter(item -> into.stream().noneMatch(v -> v.value().equals(item.value())))
                        .forEach(into::add);
            });
            warnings.addAll(part.warnings());
        }
        merged.programs = new ArrayList<>(programs.values());
        return merged.reading(warnings);
    }

    /** Fills the program's missing fields and lists from the other's; true when any was missing. */
    private static boolean fill(SourcedProgram program, SourcedProgram from) {
        boolean changed = false;
        for (Map.Entry<String, Value> field : from.fields.entrySet()) {
            changed |= program.fields.putIfAbsent(field.getKey(), field.getValue()) == null;
        }
        for (Map.Entry<String, List<Value>> list : from.lists.entrySet()) {
            changed |= program.lists.putIfAbsent(list.getKey(), list.getValue()) == null;
        }
        return changed;
    }

    @Override
    public NullFill.Filled<CriteriaReading> fillFrom(CriteriaReading byModel, CriteriaReading byRules) {
        SourcedCriteria model = SourcedCriteria.of(byModel.criteria(), byModel.evidence());
        SourcedCriteria rules = SourcedCriteria.of(byRules.criteria(), byRules.evidence());
        List<SourcedProgram> modelPrograms = model.programs == null ? List.of() : model.programs;
        List<SourcedProgram> rulePrograms = rules.programs == null ? List.of() : rules.programs;
        boolean changed = false;
        if (modelPrograms.isEmpty()) {
            model.programs = new ArrayList<>(rulePrograms);
            changed = !rulePrograms.isEmpty();
        } else {
            for (SourcedProgram program : modelPrograms) {
                SourcedProgram partner = partner(program, modelPrograms, rulePrograms);
                changed |= partner != null && fill(program, partner);
            }
        }
        for (Map.Entry<String, List<Value>> list : rules.lists.entrySet()) {
            changed |= model.lists.putIfAbsent(list.getKey(), list.getValue()) == null;
        }
        List<String> warnings = new ArrayList<>(byModel.warnings());
        if (changed) {
            warnings.addAll(byRules.warnings());
        }
        return new NullFill.Filled<>(model.reading(warnings), changed);
    }

    /**
     * The rule extractor's program for the model's: the one with the same name, else the only one whose
     * name contains the other's ("Gold" and "Gold Tier"), else, when each found a single program, that one.
     */
    private static SourcedProgram partner(SourcedProgram program, List<SourcedProgram> modelPrograms,
                                          List<SourcedProgram> rulePrograms) {
        String name = key(program);
        List<SourcedProgram> candidates = rulePrograms.stream().filter(p -> key(p).equals(name)).toList();
        if (candidates.isEmpty() && !name.isEmpty()) {
            candidates = rulePrograms.stream().filter(p -> !key(p).isEmpty()
                    && (key(p).contains(name) || name.contains(key(p)))).toList();
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return candidates.isEmpty() && modelPrograms.size() == 1 && rulePrograms.size() == 1 ? rulePrograms.get(0)
                : null;
    }

    private static String key(SourcedProgram program) {
        return program.name() == null ? "" : program.name().strip().toLowerCase(Locale.ROOT);
    }
}
