package ai.kaaj.extraction;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import ai.kaaj.engine.Interruption;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a lender's criteria out of guideline text, offline: bullet lists, two-column tables
 * ("Minimum FICO | 650", "Beacon    650"), prose ("we require at least two years in business"),
 * several programs under their headings, and lender-wide exclusion lists. Each criterion is found by
 * its keywords and the value next to them; wording it does not know yields null, never a guess.
 * Values written before the first program heading apply to every program that does not set its own.
 * Each value's evidence is the line it was read from (its page, its line number on the page, its text).
 */
public final class RuleCriteriaExtractor {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;

    /** A program heading: a short line naming a program, tier or credit grade. */
    private static final Pattern PROGRAM_HEADING = Pattern.compile(
            "^(?:[#*\\-•\\s]*)((?:tier\\s*[0-9a-z]+|[abc][+-]?\\s+(?:credit|paper|tier)|"
                    + "(?:[\\w&'/-]+\\s+){0,4}program|app(?:lication)?[\\s-]+only(?:\\s+[\\w-]+){0,2}|"
                    + "full[\\s-]+financials?(?:\\s+[\\w-]+){0,2}|start[\\s-]?ups?(?:\\s+[\\w-]+){0,2}|"
                    + "(?:[\\w&'/-]+\\s+){0,3}(?:track|tier)|program\\s*(?:name|#?\\s*\\d{1,2})?\\s*:\\s*[a-z][\\w&'/+ -]{1,40})"
                    + "(?:\\s*\\([^)]*\\))?)\\s*:?\\s*$", FLAGS);
    /** A sentence that opens with a named program: "Our Gold program is designed for ...". */
    private static final Pattern PROSE_PROGRAM = Pattern.compile(
            "^(?:[Oo]ur|[Tt]he)\\s+((?:[A-Z][\\w&'+-]*\\s+){0,3}[A-Z][\\w&'+-]*)\\s+(?i:(program|tier|product|plan))\\b"
                    + "(?!\\s*(?:guidelines?|guide|overview|summary|highlights)\\b)");

    /** A heading that starts a lender-wide part again (exclusions after the programs). */
    private static final Pattern GENERAL_HEADING = Pattern.compile(
            "^(?:[#*\\-•\\s]*)(general|restrictions?|exclusions?|restricted|prohibited|ineligible|eligibility|"
                    + "geograph\\w*|industry restrictions|all programs|credit policy|overview|program[\\s-]*wide|"
                    + "(?:all|both)\\s+(?:programs|tiers|products|grades|levels|plans)|notes?|additional\\s+(?:requirements|guidelines)|"
                    + "other\\s+requirements|lending\\s+area|states?|industr\\w*)\\b[^0-9$]{0,40}:?\\s*$", FLAGS);

    private static final Pattern FICO = Pattern.compile(
            "(?:fico|credit\\s+scores?|beacon|personal\\s+credit|guarantor\\s+(?:credit\\s+)?score|"
                    + "minimum\\s+score|consumer\\s+credit|^credit\\s*:)[^0-9\\n]{0,40}?\\b([3-8]\\d{2})\\b(?![,\\d%])"
                    + "|\\b([3-8]\\d{2})\\s?\\+?\\s*(?:minimum\\s+)?(?:(?:personal|guarantor|consumer)\\s+)?"
                    + "(?:fico|beacon|credit\\s+score)", FLAGS);
    private static final Pattern PAYNET = Pattern.compile(
            "paynet(?:\\s+master\\s?score)?[^0-9\\n]{0,30}?\\b(\\d{3})\\b|\\b(\\d{3})\\s?\\+?\\s*paynet", FLAGS);
    private static final Pattern TIB_KEYWORD = Pattern.compile(
            "time\\s+in\\s+business|time\\s+(?:in\\s+(?:operation|industry|practice)|farming|operating)|\\btib\\b|in\\s+business|in\\s+operation|seasoning|under\\s+(?:current|same)\\s+ownership|"
                    + "in\\s+practice|been\\s+(?:open|operating)|business\\s+age|business\\s+history|"
                    + "established|operating\\s+history|in\\s+existence", FLAGS);
    private static final Pattern REVENUE_KEYWORD = Pattern.compile(
            "annual\\s+(?:revenues?|sales)|revenues?|gross\\s+sales|annual\\s+gross|\\brev\\.?\\s*:|"
                    + "(?:annual|yearly)\\s+sales", FLAGS);
    private static final Pattern AMOUNT_KEYWORD = Pattern.compile(
            "\\b(?:transactions?|deals?|loans?|leases?|funding|fund|finance|financing|tickets?|amounts?|sizes?|requests?|"
                    + "equipment\\s+cost)\\b|"
                    + "financ\\w+\\s+(?:up\\s+to|from)|transactions?\\s+(?:up\\s+to|from)|we\\s+(?:fund|finance)|"
                    + "deals?\\s+(?:up\\s+to|from)", FLAGS);
    private static final Pattern TERM = Pattern.compile(
            "(?:terms?|amortization|maturity|maturities)\\b[^\\n]{0,30}?(?:" + Normalizers.NUMBER + "\\s?(?:-|to)\\s?)?" + Normalizers.NUMBER
                    + "\\s?(months?|mos?|years?|yrs?)\\b", FLAGS);
    private static final Pattern EQUIPMENT_AGE = Pattern.compile(
            "(?:equipment|collateral|asset|vehicle|unit|truck|trailer|tractor|machine(?:ry)?)s?[^\\n]{0,40}?(?:no\\s+older\\s+than|older\\s+than|less\\s+than|"
                    + "up\\s+to|age\\s*(?:limit)?\\s*:?\\s*(?:max(?:imum)?\\s*)?|maximum\\s+(?:of\\s+)?)\\s*"
                    + Normalizers.NUMBER + "\\s?(years?|yrs?)"
                    + "|(?:max(?:imum)?\\s+)?equipment\\s+age[^0-9\\n]{0,20}" + Normalizers.NUMBER + "\\s?(years?|yrs?)"
                    + "|" + Normalizers.NUMBER + "\\s?(years?|yrs?)\\s+old\\s+or\\s+newer"
                    + "|(?:equipment|collateral)[^\\n]{0,40}?(?:exceed|more\\s+than|over)\\s+" + Normalizers.NUMBER
                    + "\\s?(years?|yrs?)\\s+(?:of\\s+age|old|in\\s+age)", FLAGS);
    private static final Pattern BANKRUPTCY = Pattern.compile(
            "(?:bankrupt\\w*|\\bbk\\b)[^\\n]{0,60}?" + Normalizers.NUMBER + "\\s?\\+?\\s?(years?|yrs?)", FLAGS);
    private static final Pattern DOWN_PAYMENT = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)\\s?(?:%|percent)\\s+(?:down|downpayment|down\\s+payment|equity\\s+injection|advance)"
                    + "|(?:down\\s*payment|downpayment|equity\\s+injection)[^0-9\\n%]{0,30}(\\d+(?:\\.\\d+)?)\\s?(?:%|percent)",
            FLAGS);
    private static final Pattern NO_STARTUPS = Pattern.compile(
            "no\\s+start[\\s-]?ups?\\b|start[\\s-]?ups?(?:\\s+(?:businesses|companies|borrowers|applicants))?\\s+"
                    + "(?:are\\s+|is\\s+)?(?:not|ineligible|excluded|prohibited)|"
                    + "(?:not|no|never|unable\\s+to|cannot|can't|won't)\\s+(?:\\w+\\s+){0,2}?"
                    + "(?:consider|accept|finance|fund|approve|take)\\w*\\s+(?:any\\s+)?start[\\s-]?ups?\\b|"
                    + "start[\\s-]?ups?\\s*:\\s*(?:no|not\\s+\\w+)\\b", FLAGS);
    private static final Pattern STARTUPS_OK = Pattern.compile(
            "start[\\s-]?ups?\\b[^.;:\\n]{0,40}?\\b(?:considered|accepted|welcome|ok|allowed|eligible|reviewed|"
                    + "case[\\s-]by[\\s-]case)|"
                    + "(?:consider|accept|welcome|finance|fund)\\w*\\s+start[\\s-]?ups|start[\\s-]?ups?\\s*:\\s*yes", FLAGS);

    private static final Pattern EXCLUDED_INDUSTRIES = Pattern.compile(
            "(?:restricted|excluded|prohibited|ineligible|unacceptable|non[\\s-]?eligible)\\s+"
                    + "(?:industries|industry|businesses|business\\s+types|operations|activities|sectors|borrower\\s+types|sic(?:\\s*/\\s*naics)?|naics(?:\\s*/\\s*sic)?)"
                    + "(?:\\s+codes?)?|industry\\s+(?:restrictions|exclusions)|we\\s+do\\s+not\\s+(?:lend\\s+to|finance|fund|"
                    + "work\\s+with|consider)|(?:no|not)\\s+(?:lending|financing)\\s+(?:to|for)|"
                    + "industries\\s+(?:not\\s+(?:financed|funded|eligible|accepted|considered)|excluded|restricted)|"
                    + "industries\\s+(?:that\\s+)?(?:are|is)\\s+(?:not\\s+(?:eligible|financed|funded|accepted|"
                    + "considered)|ineligible|excluded|restricted|prohibited)|"
                    + "industries\\s+(?:that\\s+)?we\\s+(?:will\\s+not|won't|do\\s+not|don't|cannot|can't|are\\s+unable\\s+to)"
                    + "\\s+\\w+|excluded\\s+(?:sic|naics)", FLAGS);
    private static final Pattern EXCLUDED_STATES = Pattern.compile(
            "not\\s+(?:available|avail\\.?|offered|lending)\\s+in|(?:restricted|excluded|ineligible|prohibited)\\s+states?|"
                    + "(?:do(?:es)?\\s+not|don't|doesn't|cannot|can't|will\\s+not|won't|unable\\s+to|not\\s+able\\s+to)\\s+"
                    + "(?:\\w+\\s+){0,4}?in\\b|"
                    + "(?:all\\s+(?:50\\s+)?states|nationwide|everywhere)\\s+(?:except|excluding|but)|"
                    + "(?:states?|geograph\\w*)\\s*(?:restrictions?|exclusions?|excluded|restricted)|"
                    + "no\\s+(?:business|deals?|transactions?|loans?|leases?|funding|lending|financing)\\s+(?:(?:to|for)\\s+"
                    + "(?:businesses|companies|borrowers)\\s+)?(?:located\\s+)?in\\b|excluding\\s+(?:the\\s+)?states?", FLAGS);
    private static final Pattern ALLOWED_STATES = Pattern.compile(
            "only\\s+(?:available|offered|lending)\\s+in|available\\s+(?:only\\s+)?in|(?:eligible|approved|allowed)"
                    + "\\s+states?|we\\s+(?:only\\s+|currently\\s+|presently\\s+)?(?:lend|operate|fund|finance)\\s+(?:only\\s+)?in\\b|"
                    + "(?:lending|service|operating)\\s+(?:area|region|states)\\s*:|(?:footprint|territory)"
                    + "\\s*:|\\bonly\\b[^.:]{0,40}?\\b(?:located|domiciled|headquartered|based)\\s+in\\b", FLAGS);
    /** "Excluded: a, b, c" with no word saying what: industries, unless the items are states. */
    private static final Pattern BARE_EXCLUSION_LIST = Pattern.compile(
            "^(?:excluded|restricted|prohibited|ineligible|exclusions?)\\s*:", FLAGS);
    private static final Pattern ALL_STATES = Pattern.compile("all\\s+(?:50\\s+)?states|nationwide", FLAGS);
    private static final Pattern NO_STATES_PREFIX = Pattern.compile("^\\s*(?i:no|excluding)\\s+([A-Z]{2}\\b.*)$");
    private static final String AMOUNT_VALUE = "(\\$?\\s?\\d[\\d,.]*\\s?(?:(?:mm|million|m|k|thousand)(?![a-z]))?)";
    private static final Pattern AMOUNT_RANGE = Pattern.compile(AMOUNT_VALUE + "\\+?\\s*(?:-|to|through|and|up\\s+to)\\s*"
            + AMOUNT_VALUE + "(?![\\d%])", FLAGS);
    private static final Pattern MAXIMUM_WORDS = Pattern.compile(
            "(?:up\\s+to|[a-z]\\s+to|max(?:imum)?\\.?(?:\\s+[a-z]+){0,3}|not\\s+(?:to\\s+)?exceed\\w*|no\\s+more\\s+than|as\\s+much\\s+as|"
                    + "limit(?:ed)?\\s+(?:of|to)|cap(?:ped)?\\s+at|under)\\s*(?:of|is|:)?\\s*$");
    private static final Pattern MINIMUM_WORDS = Pattern.compile(
            "(?:min(?:imum)?\\.?(?:\\s+[a-z]+){0,3}|at\\s+least|from|starting\\s+at|no\\s+less\\s+than|over|above)\\s*(?:of|is|:)?\\s*$");
    /** A line that states something for every program, wherever it stands ("All tiers: terms of …"). */
    private static final Pattern ALL_PROGRAMS = Pattern.compile(
            "^(?:all|every|each|both)\\s+(?:(?:credit\\s+)?(?:tiers?|grades?|levels?)|programs?|products?|transactions?|plans?|options?)\\b",
            FLAGS);
    /** A line that is only a maximum amount, as tier sheets write it ("Up to $500,000"). */
    private static final Pattern BARE_MAXIMUM = Pattern.compile("^(?:up\\s+to|max(?:imum)?\\.?)\\s+\\$", FLAGS);
    private static final Pattern EQUIPMENT_ALLOWED = Pattern.compile(
            "(?:eligible|acceptable|approved|preferred)\\s+(?:equipment|collateral)(?:\\s+types?)?|^collateral\\s*:|"
                    + "equipment\\s+types?"
                    + "(?:\\s+financed)?|collateral\\s+types?", FLAGS);
    private static final Pattern EQUIPMENT_EXCLUDED = Pattern.compile(
            "(?:restricted|excluded|ineligible|prohibited|unacceptable)\\s+(?:equipment|collateral)(?:\\s+types?)?|"
                    + "(?:no|not)\\s+(?:financing\\s+(?:for|of)\\s+)?(?:equipment|collateral)\\s*:|"
                    + "equipment\\s+(?:restrictions|exclusions)", FLAGS);

    /** A lender-wide fact found while reading, and the lists gathered from list lines. */
    private static final class Accumulator {
        final Set<String> excludedIndustries = new LinkedHashSet<>();
        final Set<String> excludedStates = new LinkedHashSet<>();
        final Set<String> allowedStates = new LinkedHashSet<>();
        /** The line each item was first read from, by list field and item. */
        final Map<String, Map<String, Evidence>> evidence = new HashMap<>();

        /** Gives the items read from this line the line's evidence. */
        void readFrom(Evidence line) {
            record("excluded_industries", excludedIndustries, line);
            record("excluded_states", excludedStates, line);
            record("allowed_states", allowedStates, line);
        }

        private void record(String field, Set<String> items, Evidence line) {
            Map<String, Evidence> known = evidence.computeIfAbsent(field, f -> new HashMap<>());
            items.forEach(item -> known.putIfAbsent(item, line));
        }

        void putEvidence(String field, Set<String> items, Map<String, Evidence> into) {
            int j = 0;
            for (String item : items) {
                Evidence e = evidence.getOrDefault(field, Map.of()).get(item);
                if (e != null) {
                    into.put(field + "[" + j + "]", e);
                }
                j++;
            }
        }
    }

    /** Field values of one section (before the first heading, or one program). */
    private static final class Fields {
        String name;
        Integer minFico;
        Integer minTib;
        Long minRevenue;
        Long minAmount;
        Long maxAmount;
        Integer maxTerm;
        Integer minPaynet;
        Integer maxEquipmentAge;
        List<String> allowedEquipment;
        List<String> excludedEquipment;
        Boolean startups;
        Integer bankruptcyYears;
        Double downPayment;
        /** The line each value was read from, by JSON field name ("min_fico", "name"). */
        final Map<String, Evidence> evidence = new HashMap<>();

        /** The values by JSON field name, null where not read. */
        Map<String, Object> values() {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("min_fico", minFico);
            values.put("min_time_in_business_months", minTib);
            values.put("min_annual_revenue", minRevenue);
            values.put("min_amount", minAmount);
            values.put("max_amount", maxAmount);
            values.put("max_term_months", maxTerm);
            values.put("min_paynet", minPaynet);
            values.put("max_equipment_age_years", maxEquipmentAge);
            values.put("allowed_equipment_types", allowedEquipment);
            values.put("excluded_equipment_types", excludedEquipment);
            values.put("startups_allowed", startups);
            values.put("bankruptcy_lookback_years", bankruptcyYears);
            values.put("min_down_payment_pct", downPayment);
            return values;
        }

        /** The evidence of the program's values at programs[index], each from this section or else from defaults. */
        void putEvidence(int index, Fields defaults, Map<String, Evidence> into) {
            String at = "programs[" + index + "].";
            if (evidence.containsKey("name")) {
                into.put(at + "name", evidence.get("name"));
            }
            values().forEach((field, value) -> {
                Evidence e = value != null ? evidence.get(field) : defaults.evidence.get(field);
                if (e != null) {
                    into.put(at + field, e);
                }
            });
        }

        boolean isEmpty() {
            return minFico == null && minTib == null && minRevenue == null && minAmount == null && maxAmount == null
                    && maxTerm == null && minPaynet == null && maxEquipmentAge == null && allowedEquipment == null
                    && excludedEquipment == null && startups == null && bankruptcyYears == null && downPayment == null;
        }

        Program toProgram(Fields defaults) {
            return new Program(name,
                    or(minFico, defaults.minFico), or(minTib, defaults.minTib), or(minRevenue, defaults.minRevenue),
                    or(minAmount, defaults.minAmount), or(maxAmount, defaults.maxAmount),
                    or(maxTerm, defaults.maxTerm), or(minPaynet, defaults.minPaynet),
                    or(maxEquipmentAge, defaults.maxEquipmentAge), or(allowedEquipment, defaults.allowedEquipment),
                    or(excludedEquipment, defaults.excludedEquipment), or(startups, defaults.startups),
                    or(bankruptcyYears, defaults.bankruptcyYears), or(downPayment, defaults.downPayment), null);
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }

    public LenderCriteria extract(String documentText) {
        return read(documentText).criteria();
    }

    /** The criteria in a document's text (pages separated by form feeds) and the evidence of each value. */
    public CriteriaReading read(String documentText) {
        List<Line> sourced = sourcedLines(documentText);
        List<String> lines = sourced.stream().map(Line::text).toList();
        Accumulator lenderWide = new Accumulator();
        Fields defaults = new Fields();
        List<Fields> programs = new ArrayList<>();
        Fields current = defaults;
        for (int i = 0; i < lines.size(); i++) {
            Interruption.check();
            String line = lines.get(i);
            Evidence from = sourced.get(i).evidence();
            int matrixEnd = readMatrix(lines, sourced, i, programs);
            if (matrixEnd > i) {
                // What follows a table of programs speaks for all of them until the next heading.
                current = defaults;
                i = matrixEnd - 1;
                continue;
            }
            Matcher prose = PROSE_PROGRAM.matcher(line);
            if (prose.find()) {
                current = new Fields();
                current.name = prose.group(1) + " " + prose.group(2);
                current.evidence.put("name", from);
                programs.add(current);
                readFields(line, current, from);
                readLenderWide(line, lenderWide);
                lenderWide.readFrom(from);
                continue;
            }
            Matcher heading = PROGRAM_HEADING.matcher(line);
            if (heading.matches() && !hasValue(line) && !NO_STARTUPS.matcher(line).find()
                    && !STARTUPS_OK.matcher(line).find()) {
                current = new Fields();
                current.name = tidyName(heading.group(1));
                current.evidence.put("name", from);
                programs.add(current);
                continue;
            }
            if (GENERAL_HEADING.matcher(line).matches()) {
                current = defaults;
            }
            if (!programs.isEmpty() && ALL_PROGRAMS.matcher(line).find()) {
                current = defaults;
            }
            String withList = line.endsWith(":") ? line + " " + listAfter(lines, i) : line;
            Evidence fromList = withList == line ? from : sourced.get(i).evidence(withList);
            Fields named = programNamedAt(line, programs);
            readFields(withList, ALL_PROGRAMS.matcher(line).find() ? defaults : named != null ? named : current,
                    fromList);
            readLenderWide(withList, lenderWide);
            lenderWide.readFrom(fromList);
        }
        programs.removeIf(program -> program.isEmpty() && !programs.isEmpty() && programs.size() > 1
                && programs.stream().anyMatch(p -> !p.isEmpty()));
        List<Program> result = new ArrayList<>();
        Map<String, Evidence> evidence = new LinkedHashMap<>();
        if (programs.isEmpty()) {
            defaults.name = "Standard";
            result.add(defaults.toProgram(new Fields()));
            defaults.putEvidence(0, new Fields(), evidence);
        } else {
            for (Fields program : programs) {
                program.putEvidence(result.size(), defaults, evidence);
                result.add(program.toProgram(defaults));
            }
        }
        lenderWide.putEvidence("excluded_industries", lenderWide.excludedIndustries, evidence);
        lenderWide.putEvidence("excluded_states", lenderWide.excludedStates, evidence);
        lenderWide.putEvidence("allowed_states", lenderWide.allowedStates, evidence);
        return new CriteriaReading(new LenderCriteria(result, listOrNull(lenderWide.excludedIndustries),
                listOrNull(lenderWide.excludedStates), listOrNull(lenderWide.allowedStates)), evidence, List.of());
    }

    /** A line as the rules read it, with the page (1-based) and the line on that page where it starts. */
    record Line(String text, int page, int lineOnPage) {

        Evidence evidence() {
            return evidence(text);
        }

        /** The evidence of what was read starting at this line (the line and the list lines after it). */
        Evidence evidence(String read) {
            return Evidence.onPage(page, read, "line " + lineOnPage);
        }
    }

    /** Lines are cut at a space to at most this length, and wrapped prose is joined up to it. */
    private static final int LONGEST_LINE = 1000;
    private static final Pattern OVERLONG_WORD = Pattern.compile("\\S{64}(?=\\S)");
    private static final Pattern WIDE_GAP = Pattern.compile("[ \\t]{32,}");

    /**
     * The text with no word over 64 characters, no gap over 32 spaces and no line over LONGEST_LINE: the
     * patterns try every start in a run of digits, spaces or dots, so their cost grows with the square of
     * the longest run or line (a line of 200,000 digits took tens of minutes). Guidelines have no such runs.
     */
    private static String bounded(String text) {
        String spaced = WIDE_GAP.matcher(OVERLONG_WORD.matcher(text).replaceAll("$0 ")).replaceAll(" ".repeat(32));
        StringBuilder out = new StringBuilder(spaced.length() + spaced.length() / LONGEST_LINE);
        int lineStart = 0;
        for (int i = 0; i < spaced.length(); i++) {
            char c = spaced.charAt(i);
            if (c == '\n') {
                lineStart = out.length() + 1;
            } else if (out.length() - lineStart >= LONGEST_LINE) {
                int space = out.lastIndexOf(" ", out.length() - 1);
                if (space > lineStart) {
                    out.setCharAt(space, '\n');
                    lineStart = space + 1;
                } else {
                    out.append('\n');
                    lineStart = out.length();
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Lines with table separators, bullets and dashes made plain. Prose that the PDF wrapped over several
     * lines is joined again and cut into sentences, so a sentence is read whole wherever it was wrapped.
     */
    static List<String> lines(String text) {
        return sourcedLines(text).stream().map(Line::text).toList();
    }

    /** {@link #lines}, each with where it starts in the document. */
    static List<Line> sourcedLines(String text) {
        String normal = text.replace('\f', '\n').replace('\u2013', '-').replace('\u2014', '-').replace('\u2212', '-')
                .replace('\u00a0', ' ').replace('\t', ' ').replace("\u2022", " ").replace("\u25cf", " ")
                .replaceAll("[ ]*(?:\\.[ ]?){4,}[ ]*", ": ").replaceAll("(\\S)[ ]{3,}(?=\\S)", "$1: ")
                .replaceAll("(\\S)[ ]*\\|[ ]*(?=\\S)", "$1: ");
        int[][] where = pagesAndLines(text);
        List<Line> out = new ArrayList<>();
        for (Sentence sentence : sentences(normal)) {
            Interruption.check();
            String raw = sentence.text();
            String line = raw.replaceAll("\\s*\\|\\s*", ": ").replaceAll("^[\\s*\\-•·o]+(?=\\S)", "")
                    .replaceAll("(\\S)\\s{3,}(\\S)", "$1: $2").replaceAll("\\s+", " ").trim();
            if (line.startsWith(": ")) {
                line = line.substring(2);
            }
            if (line.endsWith(":") && line.length() > 1 && line.substring(0, line.length() - 1).endsWith(": ")) {
                line = line.substring(0, line.length() - 2).trim();
            }
            if (!line.isEmpty()) {
                int[] at = where[Math.min(sentence.rawLine(), where.length - 1)];
                out.add(new Line(line, at[0], at[1]));
            }
        }
        return labelsJoinedToValues(out);
    }

    /** For each raw line of the text (split at line ends and form feeds): its page and its line on the page. */
    private static int[][] pagesAndLines(String text) {
        List<int[]> where = new ArrayList<>();
        int page = 1;
        int line = 1;
        where.add(new int[] {page, line});
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\f') {
                page++;
                line = 1;
                where.add(new int[] {page, line});
            } else if (c == '\n') {
                line++;
                where.add(new int[] {page, line});
            }
        }
        return where.toArray(new int[0][]);
    }

    /** A criterion's name alone on a line, as layouts with the label above its value write it. */
    private static final Pattern BARE_LABEL = Pattern.compile(
            "(?:min(?:imum)?\\.?\\s+|max(?:imum)?\\.?\\s+|restricted\\s+|excluded\\s+|ineligible\\s+|eligible\\s+)?"
                    + "(?:fico|beacon|credit(?:\\s+score)?|personal\\s+credit|time\\s+in\\s+business|tib|years\\s+in\\s+business|"
                    + "(?:transaction|deal|loan|lease)?\\s*(?:amounts?|size)|terms?|revenue|annual\\s+revenue|paynet|"
                    + "bankruptc(?:y|ies)|down\\s+payment|equipment(?:\\s+age)?|start[\\s-]?ups?|industries|states)"
                    + "(?:\\s*\\([^)]*\\))?", FLAGS);

    /**
     * "FICO" over "660 minimum", "Restricted States" over "California": a label alone on its line is joined to
     * the value on the next line when that line holds no label of its own.
     */
    private static List<Line> labelsJoinedToValues(List<Line> lines) {
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).text();
            if (i + 1 < lines.size() && BARE_LABEL.matcher(line).matches()) {
                String next = lines.get(i + 1).text();
                boolean value = !next.contains(":") && !BARE_LABEL.matcher(next).matches()
                        && !PROGRAM_HEADING.matcher(next).matches() && next.length() <= 120;
                if (value) {
                    out.add(new Line(line + ": " + next, lines.get(i).page(), lines.get(i).lineOnPage()));
                    i++;
                    continue;
                }
            }
            out.add(lines.get(i));
        }
        return out;
    }

    /** The first cell of a table's header row, naming the column of row labels. */
    private static final Pattern MATRIX_CORNER = Pattern.compile(
            "(?:criteria|criterion|requirements?|guidelines?|programs?|products?|features?|items?|category|description|"
                    + "parameters?|credit\\s+tiers?|tiers?|credit\\s+box|underwriting)?", FLAGS);
    /** Column names a table writes on one line with single spaces: "Tier A Tier B Tier C", "A Credit B Credit". */
    private static final Pattern SPACED_COLUMN_NAME = Pattern.compile(
            "(?:tier|level|grade|class|program|option|plan)\\s+[a-z0-9][+-]?(?![\\w])|\\b[a-d][+-]?\\s+(?:credit|tier|paper)\\b",
            FLAGS);
    /** A row label of a criteria table. */
    private static final Pattern CRITERION_LABEL = Pattern.compile(
            "fico|credit|beacon|score|\\btib\\b|time|business|amount|size|transaction|deal|term|revenue|sales|paynet|"
                    + "\\bage\\b|down|bankrupt|start[\\s-]?up|equipment|loan|lease|financ", FLAGS);
    /** One cell value when cells are only a space apart: "650", "$250,000", "2 yrs", "10%", "n/a". */
    private static final String CELL = "(?:\\$?\\d[\\d,.]*\\s?(?:(?:mm|million|m|k)(?![a-z]))?\\s?\\+?\\s?%?"
            + "(?:\\s?(?:yrs?|years?|mos?|months?)\\b)?|n/?a|none|yes|no|-)";
    private static final Pattern EMPTY_CELL = Pattern.compile("n/?a|none|-|not\\s+applicable|", FLAGS);

    /**
     * A table with one column per program ("App Only | Full Financials" over rows "Minimum FICO | 650 | 680"),
     * or one row per program under a header of criteria. Adds a program per column (or row), reads each cell
     * as "label: value", and returns the index of the first line after the table, or {@code at} when the line
     * does not start such a table.
     */
    private static int readMatrix(List<String> lines, List<Line> sourced, int at, List<Fields> programs) {
        String header = lines.get(at).replaceAll(":\\s*$", "").trim();
        if (hasValue(header)) {
            return at;
        }
        List<String> names = columnNames(header);
        if (names != null) {
            List<List<String>> rows = new ArrayList<>();
            int i = at + 1;
            for (; i < lines.size(); i++) {
                List<String> row = criterionRow(lines.get(i), names.size());
                if (row == null) {
                    break;
                }
                rows.add(row);
            }
            if (rows.size() >= 2) {
                List<Fields> columns = new ArrayList<>();
                for (String name : names) {
                    Fields column = new Fields();
                    column.name = tidyName(name);
                    column.evidence.put("name", sourced.get(at).evidence());
                    columns.add(column);
                    programs.add(column);
                }
                for (int r = 0; r < rows.size(); r++) {
                    List<String> row = rows.get(r);
                    Line line = sourced.get(at + 1 + r);
                    for (int c = 0; c < columns.size(); c++) {
                        String value = row.get(c + 1).trim();
                        if (!EMPTY_CELL.matcher(value).matches()) {
                            readFields(row.get(0) + ": " + value, columns.get(c), Evidence.onPage(line.page(),
                                    line.text(), "line " + line.lineOnPage() + ", column '" + names.get(c) + "'"));
                        }
                    }
                }
                return i;
            }
        }
        // One row per program: "Program | Max Amount | Min FICO | Term" over "Express | $100,000 | 640 | 60 months".
        List<String> labels = cells(header);
        if (labels.size() >= 3 && labels.subList(1, labels.size()).stream()
                .allMatch(label -> CRITERION_LABEL.matcher(label).find() && label.length() <= 40)) {
            List<Fields> rowPrograms = new ArrayList<>();
            int i = at + 1;
            for (; i < lines.size(); i++) {
                List<String> row = cells(lines.get(i));
                if (row.size() != labels.size() || hasValue(row.get(0)) || CRITERION_LABEL.matcher(row.get(0)).find()
                        || !row.get(0).matches(".*[A-Za-z].*") || row.get(0).length() > 40) {
                    break;
                }
                Fields program = new Fields();
                program.name = tidyName(row.get(0));
                Line line = sourced.get(i);
                program.evidence.put("name", line.evidence());
                for (int c = 1; c < row.size(); c++) {
                    if (!EMPTY_CELL.matcher(row.get(c).trim()).matches()) {
                        readFields(labels.get(c) + ": " + row.get(c), program, Evidence.onPage(line.page(),
                                line.text(), "line " + line.lineOnPage() + ", column '" + labels.get(c) + "'"));
                    }
                }
                rowPrograms.add(program);
            }
            if (rowPrograms.size() >= 2) {
                programs.addAll(rowPrograms);
                return i;
            }
        }
        return at;
    }

    /** Program names heading a table's columns, or null when the line is not such a header. */
    private static List<String> columnNames(String header) {
        List<String> names = new ArrayList<>(cells(header));
        if (names.size() >= 2 && MATRIX_CORNER.matcher(names.get(0)).matches()) {
            names.remove(0);
        }
        if (names.size() >= 2 && names.size() <= 6
                && names.stream().allMatch(n -> n.length() <= 40 && n.matches(".*[A-Za-z].*"))) {
            return names;
        }
        names.clear();
        Matcher m = SPACED_COLUMN_NAME.matcher(header);
        int first = -1;
        int end = 0;
        while (m.find()) {
            if (first < 0) {
                first = m.start();
            } else if (!header.substring(end, m.start()).isBlank()) {
                return null;
            }
            names.add(m.group());
            end = m.end();
        }
        boolean fills = first >= 0 && header.substring(end).isBlank()
                && MATRIX_CORNER.matcher(header.substring(0, first).trim()).matches();
        return names.size() >= 2 && fills ? names : null;
    }

    /** A table row: a criterion label and exactly {@code columns} values; null when the line is not one. */
    private static List<String> criterionRow(String line, int columns) {
        List<String> row = cells(line);
        if (row.size() == columns + 1 && isCriterionLabel(row.get(0))
                && row.stream().skip(1).allMatch(v -> v.length() <= 30)) {
            return row;
        }
        if (columns >= SPACED_ROWS.size()) {
            return null;
        }
        Matcher m = SPACED_ROWS.get(columns).matcher(line);
        if (!m.matches() || !isCriterionLabel(m.group(1))) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int g = 1; g <= columns + 1; g++) {
            out.add(m.group(g).trim());
        }
        return out;
    }

    /** Rows of 0..7 value cells a single space apart: label, then that many values to the end of the line. */
    private static final List<Pattern> SPACED_ROWS = spacedRows(8);

    private static List<Pattern> spacedRows(int most) {
        List<Pattern> out = new ArrayList<>();
        for (int columns = 0; columns < most; columns++) {
            StringBuilder regex = new StringBuilder("^(.+?)");
            for (int c = 0; c < columns; c++) {
                regex.append("\\s+(").append(CELL).append(")");
            }
            out.add(Pattern.compile(regex.append("\\s*$").toString(), FLAGS));
        }
        return List.copyOf(out);
    }

    private static boolean isCriterionLabel(String label) {
        return label.length() <= 40 && !label.matches(".*\\d.*") && CRITERION_LABEL.matcher(label).find();
    }

    /** The cells of a line whose columns lines() joined with ": ". */
    private static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        for (String cell : line.replaceAll(":\\s*$", "").split("\\s*:\\s+")) {
            out.add(cell.trim());
        }
        return out;
    }

    /** A wrapped line is long and does not end a sentence or open a list; the next line continues it. */
    /** A sentence and the raw line (0-based, counting form feeds as line ends) where it starts. */
    private record Sentence(String text, int rawLine) {
    }

    private static List<Sentence> sentences(String text) {
        String[] raw = text.split("\\r?\\n");
        int longest = 0;
        for (String line : raw) {
            longest = Math.max(longest, line.trim().length());
        }
        List<Sentence> joined = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        int paragraphStart = 0;
        int lastLength = 0;
        for (int r = 0; r < raw.length; r++) {
            String line = raw[r];
            Interruption.check();
            String trimmed = line.trim();
            String sofar = paragraph.toString();
            // A "Label: value" line that fills the width is a list, not prose: join only what goes on
            // in lower case (or with a number), or prose without a label.
            boolean continues = paragraph.length() > 0 && paragraph.length() < LONGEST_LINE
                    && lastLength >= 0.75 * longest && longest >= 60
                    && !trimmed.isEmpty() && !sofar.matches("(?s).*[.:;!?]\\s*$")
                    && !trimmed.matches("^[*\\-•·o]\\s.*")
                    && !trimmed.matches("^[A-Z][\\w .&/()-]{0,30}:(?:\\s.*)?$")
                    && !PROGRAM_HEADING.matcher(trimmed).matches()
                    && (trimmed.matches("^[a-z0-9$(].*") || !sofar.contains(":"));
            if (continues) {
                paragraph.append(' ').append(trimmed);
            } else {
                if (paragraph.length() > 0) {
                    joined.add(new Sentence(paragraph.toString(), paragraphStart));
                }
                paragraph = new StringBuilder(line);
                paragraphStart = r;
            }
            lastLength = trimmed.length();
        }
        if (paragraph.length() > 0) {
            joined.add(new Sentence(paragraph.toString(), paragraphStart));
        }
        List<Sentence> out = new ArrayList<>();
        for (Sentence paragraphText : joined) {
            // Sentences end at ". " before a capital: "Min. TIB" splits harmlessly, "$1.5MM" not at all.
            for (String sentence : paragraphText.text().split("(?<=[a-z0-9%)]\\.)\\s+(?=[A-Z(])")) {
                out.add(new Sentence(sentence, paragraphText.rawLine()));
            }
        }
        return out;
    }

    /** The program a sentence opens with by name ("Tier 3 requires 15% down."), or null. */
    private static Fields programNamedAt(String line, List<Fields> programs) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (Fields program : programs) {
            String name = program.name == null ? "" : program.name.toLowerCase(Locale.ROOT);
            if (name.length() >= 4 && lower.startsWith(name) && lower.length() > name.length()
                    && !Character.isLetterOrDigit(lower.charAt(name.length()))) {
                return program;
            }
        }
        return null;
    }

    /** The items listed on the lines after "Restricted industries:" until the next line with a colon. */
    private static String listAfter(List<String> lines, int index) {
        StringBuilder items = new StringBuilder();
        for (int i = index + 1; i < lines.size() && i <= index + 25; i++) {
            String next = lines.get(i);
            if (next.contains(":") || PROGRAM_HEADING.matcher(next).matches() || next.length() > 60) {
                break;
            }
            items.append(next).append(", ");
        }
        return items.toString();
    }

    private static boolean hasValue(String line) {
        return line.matches(".*\\d{3,}.*") || line.contains("$");
    }

    private static String tidyName(String heading) {
        String name = heading.replaceAll("\\s+", " ").replaceAll("[:]+$", "")
                .replaceFirst("(?i)^program\\s*(?:name|#?\\s*\\d{1,2})?\\s*:\\s*", "").trim();
        return name.length() > 80 ? name.substring(0, 80) : name;
    }

    /** Reads the line's values into the section; each value the section did not have gets the line's evidence. */
    private static void readFields(String line, Fields f, Evidence from) {
        Map<String, Object> before = f.values();
        readFields(line, f);
        f.values().forEach((field, value) -> {
            if (value != null && before.get(field) == null) {
                f.evidence.put(field, from);
            }
        });
    }

    private static void readFields(String line, Fields f) {
        Matcher m = FICO.matcher(line);
        if (f.minFico == null && m.find()) {
            int score = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
            if (score >= 300 && score <= 850) {
                f.minFico = score;
            }
        }
        m = PAYNET.matcher(line);
        if (f.minPaynet == null && m.find()) {
            f.minPaynet = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        }
        if (f.minTib == null) {
            f.minTib = timeInBusiness(line);
        }
        if (f.startups == null) {
            if (NO_STARTUPS.matcher(line).find()) {
                f.startups = false;
            } else if (STARTUPS_OK.matcher(line).find()) {
                f.startups = true;
            }
        }
        if (f.minRevenue == null) {
            f.minRevenue = amountAfter(REVENUE_KEYWORD, line);
        }
        readAmounts(line, f);
        m = TERM.matcher(line);
        if (f.maxTerm == null && m.find() && !m.group().toLowerCase(Locale.ROOT).contains("business")) {
            Double number = Normalizers.number(m.group(2));
            if (number != null) {
                f.maxTerm = (int) Math.round(m.group(3).toLowerCase(Locale.ROOT).startsWith("y") ? number * 12 : number);
            }
        }
        m = EQUIPMENT_AGE.matcher(line);
        if (f.maxEquipmentAge == null && m.find()) {
            for (int g = 1; g <= m.groupCount(); g += 2) {
                if (m.group(g) != null) {
                    Double years = Normalizers.number(m.group(g));
                    f.maxEquipmentAge = years == null ? null : (int) Math.round(years);
                    break;
                }
            }
        }
        m = BANKRUPTCY.matcher(line);
        if (f.bankruptcyYears == null && m.find()) {
            Double years = Normalizers.number(m.group(1));
            if (years != null) {
                f.bankruptcyYears = (int) Math.round(m.group(2).toLowerCase(Locale.ROOT).startsWith("y") ? years
                        : years / 12);
            }
        }
        m = DOWN_PAYMENT.matcher(line);
        if (f.downPayment == null && m.find() && !(startupClause(line, m.start())
                && (f.name == null || !STARTUP_WORD.matcher(f.name).find()))) {
            f.downPayment = Double.parseDouble(m.group(1) != null ? m.group(1) : m.group(2));
        }
        if (f.excludedEquipment == null) {
            f.excludedEquipment = listAfterKeyword(EQUIPMENT_EXCLUDED, line);
        }
        if (f.allowedEquipment == null && !EQUIPMENT_EXCLUDED.matcher(line).find()) {
            f.allowedEquipment = listAfterKeyword(EQUIPMENT_ALLOWED, line);
        }
    }

    /** A duration right before a time-in-business keyword: "3+ years in business", "5 years time in business". */
    private static final Pattern ADJACENT_DURATION = Pattern.compile(
            "(" + Normalizers.NUMBER + "\\s?\\+?\\s?(?:or\\s+more\\s+|plus\\s+)?(?:years?|yrs?|months?|mos?)\\.?)"
                    + "(?:\\s+(?:of|minimum|min\\.?|required))?\\s*$", FLAGS);

    /** Words that make the number after them a ceiling, not a minimum: "less than 2 years in business". */
    private static final Pattern UPPER_BOUND = Pattern.compile(
            "(?:less\\s+than|fewer\\s+than|under|below|up\\s+to|<)\\s*$", FLAGS);

    private static final Pattern STARTUP_WORD = Pattern.compile("start[\\s-]?ups?\\b", FLAGS);

    /** True when the clause (between ";" or ". ") around a position speaks of start-ups. */
    private static boolean startupClause(String line, int at) {
        int from = Math.max(line.lastIndexOf(';', at), line.lastIndexOf(". ", at)) + 1;
        int semicolon = line.indexOf(';', at);
        int stop = line.indexOf(". ", at);
        int to = Math.min(semicolon < 0 ? line.length() : semicolon, stop < 0 ? line.length() : stop);
        return STARTUP_WORD.matcher(line.substring(from, to)).find();
    }

    /** Time in business: a duration right after its keyword, or just before it ("2+ yrs TIB"). */
    private static Integer timeInBusiness(String line) {
        Matcher keyword = TIB_KEYWORD.matcher(line);
        while (keyword.find()) {
            String before0 = line.substring(Math.max(0, keyword.start() - 30), keyword.start());
            Matcher adjacent = ADJACENT_DURATION.matcher(before0);
            if (adjacent.find()) {
                Matcher d = Normalizers.DURATION.matcher(adjacent.group(1));
                if (d.find() && !UPPER_BOUND.matcher(before0.substring(0, adjacent.start())).find()) {
                    return Normalizers.monthsOf(d);
                }
            }
            String after = line.substring(keyword.end(), Math.min(line.length(), keyword.end() + 45))
                    .split("[;|]|\\.\\s", 2)[0];
            Matcher duration = Normalizers.DURATION.matcher(after);
            if (duration.find() && !UPPER_BOUND.matcher(after.substring(0, duration.start())).find()) {
                return Normalizers.monthsOf(duration);
            }
            String before = line.substring(Math.max(0, keyword.start() - 30), keyword.start());
            Matcher earlier = Normalizers.DURATION.matcher(before);
            Integer last = null;
            while (earlier.find()) {
                last = UPPER_BOUND.matcher(before.substring(0, earlier.start())).find() ? null
                        : Normalizers.monthsOf(earlier);
            }
            if (last != null) {
                return last;
            }
            // A label that names the unit, with a bare number: "Years in Business: 2+", "TIB (months): 18".
            Matcher bare = LABELLED_NUMBER.matcher(line);
            if (bare.find()) {
                double number = Double.parseDouble(bare.group(2));
                return (int) Math.round(bare.group(1).toLowerCase(Locale.ROOT).startsWith("y") ? number * 12 : number);
            }
        }
        return null;
    }

    private static final Pattern LABELLED_NUMBER = Pattern.compile(
            "\\b(years?|yrs?|months?|mos?)\\b[^:\\d]{0,25}:\\s*(\\d+(?:\\.\\d+)?)\\s*\\+?\\s*$", FLAGS);

    /** The amount after the keyword ("Annual revenue: $1MM"), or just before it ("Min $1MM annual revenue"). */
    private static Long amountAfter(Pattern keyword, String line) {
        Matcher m = keyword.matcher(line);
        if (!m.find()) {
            return null;
        }
        List<Long> after = Normalizers.amounts(line.substring(m.end()));
        if (!after.isEmpty()) {
            return after.get(0);
        }
        List<Long> before = Normalizers.amounts(line.substring(Math.max(0, m.start() - 20), m.start()));
        return before.isEmpty() ? null : before.get(before.size() - 1);
    }

    /**
     * Deal size. Each amount on a line about deals is a minimum or a maximum by the words just before it
     * ("up to", "maximum of", "minimum of", "from", "between"), or the two ends of a range ("$10K - $250K",
     * "10,000 to 250,000", "between $20,000 and $350,000"). Revenue lines are left to revenue.
     */
    /** No single equipment or small-business deal is larger: bigger sums are company history ("funded $2 billion"). */
    private static final long MAX_DEAL = 100_000_000L;

    private static void readAmounts(String line, Fields f) {
        if (f.minAmount != null && f.maxAmount != null) {
            return;
        }
        if (BARE_MAXIMUM.matcher(line).find()) {
            f.maxAmount = f.maxAmount == null ? Normalizers.money(line) : f.maxAmount;
            return;
        }
        Matcher keyword = AMOUNT_KEYWORD.matcher(line);
        if (!keyword.find()) {
            return;
        }
        Matcher revenue = REVENUE_KEYWORD.matcher(line);
        int end = revenue.find() && revenue.start() > keyword.start() ? revenue.start() : line.length();
        String part = line.substring(0, end);
        Matcher range = AMOUNT_RANGE.matcher(part.substring(keyword.start()));
        if (range.find()) {
            Long low = Normalizers.money(range.group(1));
            Long high = Normalizers.money(range.group(2));
            if (low != null && high != null && low < high && high <= MAX_DEAL) {
                f.minAmount = f.minAmount == null ? low : f.minAmount;
                f.maxAmount = f.maxAmount == null ? high : f.maxAmount;
                return;
            }
        }
        Matcher money = Normalizers.MONEY.matcher(part);
        while (money.find()) {
            Long amount = Normalizers.moneyOf(money);
            if (amount == null || amount > MAX_DEAL) {
                continue;
            }
            String before = part.substring(Math.max(0, money.start() - 28), money.start()).toLowerCase(Locale.ROOT);
            String after = part.substring(money.end(), Math.min(part.length(), money.end() + 12))
                    .toLowerCase(Locale.ROOT);
            if (after.matches("^\\s*(?:max(?:imum)?|max\\.|cap|ceiling)\\b.*")) {
                f.maxAmount = f.maxAmount == null ? amount : f.maxAmount;
            } else if (after.matches("^\\s*(?:min(?:imum)?|min\\.|floor)\\b.*")) {
                f.minAmount = f.minAmount == null ? amount : f.minAmount;
            } else if (MAXIMUM_WORDS.matcher(before).find()) {
                f.maxAmount = f.maxAmount == null ? amount : f.maxAmount;
            } else if (MINIMUM_WORDS.matcher(before).find()) {
                f.minAmount = f.minAmount == null ? amount : f.minAmount;
            }
        }
    }

    private static List<String> listAfterKeyword(Pattern keyword, String line) {
        Matcher m = keyword.matcher(line);
        if (!m.find()) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String part : line.substring(m.end()).replaceFirst("^\\s*(?:types?)?\\s*(?:include|are|:)?\\s*:?", "")
                .split("\\s*(?:[,;]|\\band\\b|\\bor\\b)\\s*")) {
            String item = part.toLowerCase(Locale.ROOT).replaceAll("[.:]+$", "").trim();
            if (item.matches("[a-z][a-z /&-]{1,30}") && item.split(" ").length <= 3) {
                items.add(item);
            }
        }
        return items.isEmpty() ? null : items;
    }

    private static void readLenderWide(String line, Accumulator acc) {
        int before = acc.excludedIndustries.size();
        readLenderWideLists(line, acc);
        if (acc.excludedIndustries.size() > before) {
            acc.excludedIndustries.removeIf(item -> item.matches("start[\\s-]?ups?\\b.*"));
        }
    }

    private static void readLenderWideLists(String line, Accumulator acc) {
        Matcher engaged = INDUSTRY_SENTENCE.matcher(line);
        if (engaged.find()) {
            acc.excludedIndustries.addAll(Normalizers.industries(engaged.group(1)));
        }
        Matcher inIndustries = NOT_IN_INDUSTRIES.matcher(line);
        if (inIndustries.find()) {
            acc.excludedIndustries.addAll(Normalizers.industries(inIndustries.group(1)));
        }
        Matcher statesFirst = STATES_THEN_EXCLUDED.matcher(line);
        if (statesFirst.find() && onlyStates(statesFirst.group(1))) {
            acc.excludedStates.addAll(Normalizers.states(statesFirst.group(1)));
        }
        Matcher industries = EXCLUDED_INDUSTRIES.matcher(line);
        if (industries.find()) {
            acc.excludedIndustries.addAll(Normalizers.industries(afterColonOr(line, industries.end())));
        } else if (BARE_EXCLUSION_LIST.matcher(line).find() && Normalizers.states(line).isEmpty()) {
            acc.excludedIndustries.addAll(Normalizers.industries(line.substring(line.indexOf(':') + 1)));
        }
        Matcher excluded = EXCLUDED_STATES.matcher(line);
        if (excluded.find()) {
            acc.excludedStates.addAll(Normalizers.states(line.substring(excluded.end())));
        } else {
            Matcher noStates = NO_STATES_PREFIX.matcher(line);
            if (noStates.matches()) {
                acc.excludedStates.addAll(Normalizers.states(noStates.group(1)));
            }
        }
        Matcher allowed = ALLOWED_STATES.matcher(line);
        if (allowed.find() && !excluded.find(0) && !ALL_STATES.matcher(line).find()) {
            acc.allowedStates.addAll(Normalizers.states(line.substring(allowed.end())));
        }
    }

    /** "Businesses engaged in gambling, lending or adult entertainment are ineligible." */
    private static final Pattern INDUSTRY_SENTENCE = Pattern.compile(
            "(?:businesses|companies|borrowers|applicants|firms)\\s+(?:that\\s+are\\s+)?(?:engaged|involved|operating)"
                    + "\\s+in\\s+(.+?)\\s+(?:are|is)\\s+(?:ineligible|not\\s+eligible|excluded|prohibited|restricted|"
                    + "not\\s+considered|not\\s+financed)", FLAGS);
    /** "We do not lend to businesses in the cannabis, gambling, or adult entertainment industries." */
    private static final Pattern NOT_IN_INDUSTRIES = Pattern.compile(
            "(?:do(?:es)?\\s+not|don't|doesn't|will\\s+not|won't|cannot|can't|never)\\s+(?:\\w+\\s+){0,2}?"
                    + "(?:to|with|for)\\s+(?:businesses|companies|borrowers|clients|firms)\\s+in\\s+the\\s+(.+?)\\s+"
                    + "(?:industries|industry|sectors?|fields?)\\b", FLAGS);
    /** "Nevada and California remain excluded": the states come first. */
    private static final Pattern STATES_THEN_EXCLUDED = Pattern.compile(
            "^(.+?)\\s+(?:remain|are|is)\\s+(?:(?:still|currently)\\s+)?(?:excluded|ineligible|off[\\s-]limits|"
                    + "restricted|not\\s+(?:eligible|available|served))\\b", FLAGS);
    private static final Pattern STATE_LIST_FILLER = Pattern.compile(
            "(?i)\\b(?:and|or|the|states?\\s+of|states?|also|still|all|of|we|in)\\b|[^a-z ]");

    /** True when a phrase is nothing but a list of states, by name or code. */
    private static boolean onlyStates(String phrase) {
        String rest = " " + phrase.toLowerCase(Locale.ROOT) + " ";
        for (String name : UsStates.namesLongestFirst()) {
            rest = rest.replace(" " + name + " ", "  ").replace(" " + name + ",", " ,");
        }
        StringBuilder left = new StringBuilder();
        for (String word : STATE_LIST_FILLER.matcher(rest).replaceAll(" ").trim().split("\\s+")) {
            if (!word.isEmpty() && !UsStates.isCode(word.toUpperCase(Locale.ROOT))) {
                left.append(word);
            }
        }
        return left.length() == 0 && !Normalizers.states(phrase).isEmpty();
    }

    private static String afterColonOr(String line, int from) {
        int colon = line.indexOf(':', from);
        return colon >= 0 && colon - from < 20 ? line.substring(colon + 1) : line.substring(from);
    }

    private static List<String> listOrNull(Set<String> values) {
        return values.isEmpty() ? null : new ArrayList<>(values);
    }
}
