package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a lender's criteria out of guideline text, offline: bullet lists, two-column tables
 * ("Minimum FICO | 650", "Beacon    650"), prose ("we require at least two years in business"),
 * several programs under their headings, and lender-wide exclusion lists. Each criterion is found by
 * its keywords and the value next to them; wording it does not know yields null, never a guess.
 * Values written before the first program heading apply to every program that does not set its own.
 */
public final class RuleCriteriaExtractor {

    private static final int FLAGS = Pattern.CASE_INSENSITIVE;

    /** A program heading: a short line naming a program, tier or credit grade. */
    private static final Pattern PROGRAM_HEADING = Pattern.compile(
            "^(?:[#*\\-•\\s]*)((?:tier\\s*[0-9a-z]+|[abc][+-]?\\s+(?:credit|paper|tier)|"
                    + "(?:[\\w&'/-]+\\s+){0,4}program|app(?:lication)?[\\s-]+only(?:\\s+[\\w-]+){0,2}|"
                    + "full[\\s-]+financials?(?:\\s+[\\w-]+){0,2}|start[\\s-]?ups?(?:\\s+[\\w-]+){0,2}|"
                    + "(?:[\\w&'/-]+\\s+){0,3}(?:track|tier))(?:\\s*\\([^)]*\\))?)\\s*:?\\s*$", FLAGS);
    /** A heading that starts a lender-wide part again (exclusions after the programs). */
    private static final Pattern GENERAL_HEADING = Pattern.compile(
            "^(?:[#*\\-•\\s]*)(general|restrictions?|exclusions?|restricted|prohibited|ineligible|eligibility|"
                    + "geograph\\w*|industry restrictions|all programs|credit policy|overview)\\b[^0-9$]{0,40}:?\\s*$", FLAGS);

    private static final Pattern FICO = Pattern.compile(
            "(?:fico|credit\\s+scores?|beacon|personal\\s+credit|guarantor\\s+(?:credit\\s+)?score|"
                    + "minimum\\s+score|consumer\\s+credit)[^0-9\\n]{0,40}?\\b([3-8]\\d{2})\\b"
                    + "|\\b([3-8]\\d{2})\\s?\\+?\\s*(?:minimum\\s+)?(?:fico|beacon|credit\\s+score)", FLAGS);
    private static final Pattern PAYNET = Pattern.compile(
            "paynet(?:\\s+master\\s?score)?[^0-9\\n]{0,30}?\\b(\\d{3})\\b|\\b(\\d{3})\\s?\\+?\\s*paynet", FLAGS);
    private static final Pattern TIB_KEYWORD = Pattern.compile(
            "time\\s+in\\s+business|\\btib\\b|in\\s+business|years?\\s+in\\s+operation|business\\s+age|"
                    + "established|operating\\s+history|in\\s+existence", FLAGS);
    private static final Pattern REVENUE_KEYWORD = Pattern.compile(
            "annual\\s+(?:revenues?|sales)|revenues?|gross\\s+sales|annual\\s+gross|\\brev\\.?\\s*:|"
                    + "(?:annual|yearly)\\s+sales", FLAGS);
    private static final Pattern AMOUNT_KEYWORD = Pattern.compile(
            "\\b(?:transactions?|deals?|loans?|leases?|funding|fund|finance|financing|tickets?|amounts?|sizes?|"
                    + "equipment\\s+cost)\\b|"
                    + "financ\\w+\\s+(?:up\\s+to|from)|transactions?\\s+(?:up\\s+to|from)|we\\s+(?:fund|finance)|"
                    + "deals?\\s+(?:up\\s+to|from)", FLAGS);
    private static final Pattern TERM = Pattern.compile(
            "terms?\\b[^\\n]{0,30}?(?:" + Normalizers.NUMBER + "\\s?(?:-|to)\\s?)?" + Normalizers.NUMBER
                    + "\\s?(months?|mos?|years?|yrs?)\\b", FLAGS);
    private static final Pattern EQUIPMENT_AGE = Pattern.compile(
            "(?:equipment|collateral|asset|vehicle|unit)s?[^\\n]{0,40}?(?:no\\s+older\\s+than|older\\s+than|"
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
            "no\\s+start[\\s-]?ups|start[\\s-]?ups?\\s+(?:are\\s+)?(?:not|ineligible|excluded)|"
                    + "(?:not|no|never|unable\\s+to|cannot|can't|won't)\\s+(?:\\w+\\s+){0,2}?"
                    + "(?:consider|accept|finance|fund|approve|take)\\w*\\s+(?:any\\s+)?start[\\s-]?ups|"
                    + "start[\\s-]?ups?\\s*:\\s*(?:no|not\\s+\\w+)\\b", FLAGS);
    private static final Pattern STARTUPS_OK = Pattern.compile(
            "start[\\s-]?ups?\\b[^.;:\\n]{0,40}?\\b(?:considered|accepted|welcome|ok|allowed|eligible)|"
                    + "(?:consider|accept|welcome|finance|fund)\\w*\\s+start[\\s-]?ups|start[\\s-]?ups?\\s*:\\s*yes", FLAGS);

    private static final Pattern EXCLUDED_INDUSTRIES = Pattern.compile(
            "(?:restricted|excluded|prohibited|ineligible|unacceptable|non[\\s-]?eligible)\\s+"
                    + "(?:industries|industry|businesses|business\\s+types|sic(?:\\s*/\\s*naics)?|naics(?:\\s*/\\s*sic)?)"
                    + "(?:\\s+codes?)?|industry\\s+(?:restrictions|exclusions)|we\\s+do\\s+not\\s+(?:lend\\s+to|finance|fund|"
                    + "work\\s+with|consider)|(?:no|not)\\s+(?:lending|financing)\\s+(?:to|for)|"
                    + "industries\\s+(?:not\\s+(?:financed|funded|eligible|accepted|considered)|excluded|restricted)|"
                    + "excluded\\s+(?:sic|naics)", FLAGS);
    private static final Pattern EXCLUDED_STATES = Pattern.compile(
            "not\\s+(?:available|avail\\.?|offered|lending)\\s+in|(?:restricted|excluded|ineligible|prohibited)\\s+states?|"
                    + "(?:do\\s+not|don't|cannot|can't|will\\s+not|won't|unable\\s+to)\\s+(?:\\w+\\s+){0,4}?in\\b|"
                    + "all\\s+states\\s+except|"
                    + "(?:states?|geograph\\w*)\\s*(?:restrictions?|exclusions?|excluded|restricted)|"
                    + "no\\s+(?:business|deals|transactions|"
                    + "lending|financing)\\s+in|excluding\\s+(?:the\\s+)?states?", FLAGS);
    private static final Pattern ALLOWED_STATES = Pattern.compile(
            "only\\s+(?:available|offered|lending)\\s+in|available\\s+(?:only\\s+)?in|(?:eligible|approved|allowed)"
                    + "\\s+states?|we\\s+(?:only\\s+)?(?:lend|operate|fund)\\s+(?:only\\s+)?in|(?:footprint|territory)"
                    + "\\s*:", FLAGS);
    /** "Excluded: a, b, c" with no word saying what: industries, unless the items are states. */
    private static final Pattern BARE_EXCLUSION_LIST = Pattern.compile(
            "^(?:excluded|restricted|prohibited|ineligible|exclusions?)\\s*:", FLAGS);
    private static final Pattern ALL_STATES = Pattern.compile("all\\s+(?:50\\s+)?states|nationwide", FLAGS);
    private static final Pattern NO_STATES_PREFIX = Pattern.compile("^\\s*(?i:no|excluding)\\s+([A-Z]{2}\\b.*)$");
    private static final String AMOUNT_VALUE = "(\\$?\\s?\\d[\\d,.]*\\s?(?:mm|million|m|k|thousand)?)";
    private static final Pattern AMOUNT_RANGE = Pattern.compile(AMOUNT_VALUE + "\\+?\\s*(?:-|to|through|and|up\\s+to)\\s*"
            + AMOUNT_VALUE + "(?![\\d%])", FLAGS);
    private static final Pattern MAXIMUM_WORDS = Pattern.compile(
            "(?:up\\s+to|max(?:imum)?\\.?(?:\\s+[a-z]+){0,3}|not\\s+(?:to\\s+)?exceed\\w*|no\\s+more\\s+than|as\\s+much\\s+as|"
                    + "limit(?:ed)?\\s+(?:of|to)|cap(?:ped)?\\s+at|under)\\s*(?:of|is|:)?\\s*$");
    private static final Pattern MINIMUM_WORDS = Pattern.compile(
            "(?:min(?:imum)?\\.?(?:\\s+[a-z]+){0,3}|at\\s+least|from|starting\\s+at|no\\s+less\\s+than|over|above)\\s*(?:of|is|:)?\\s*$");
    /** A line that states something for every program, wherever it stands ("All tiers: terms of …"). */
    private static final Pattern ALL_PROGRAMS = Pattern.compile(
            "^(?:all|every|each)\\s+(?:tiers?|programs?|products?|transactions?)\\b", FLAGS);
    /** A line that is only a maximum amount, as tier sheets write it ("Up to $500,000"). */
    private static final Pattern BARE_MAXIMUM = Pattern.compile("^(?:up\\s+to|max(?:imum)?\\.?)\\s+\\$", FLAGS);
    private static final Pattern EQUIPMENT_ALLOWED = Pattern.compile(
            "(?:eligible|acceptable|approved|preferred)\\s+(?:equipment|collateral)(?:\\s+types?)?|equipment\\s+types?"
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
                    or(bankruptcyYears, defaults.bankruptcyYears), or(downPayment, defaults.downPayment));
        }

        private static <T> T or(T value, T fallback) {
            return value != null ? value : fallback;
        }
    }

    public LenderCriteria extract(String documentText) {
        List<String> lines = lines(documentText);
        Accumulator lenderWide = new Accumulator();
        Fields defaults = new Fields();
        List<Fields> programs = new ArrayList<>();
        Fields current = defaults;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher heading = PROGRAM_HEADING.matcher(line);
            if (heading.matches() && !hasValue(line)) {
                current = new Fields();
                current.name = tidyName(heading.group(1));
                programs.add(current);
                continue;
            }
            if (GENERAL_HEADING.matcher(line).matches()) {
                current = defaults;
            }
            String withList = line.endsWith(":") ? line + " " + listAfter(lines, i) : line;
            readFields(withList, ALL_PROGRAMS.matcher(line).find() ? defaults : current);
            readLenderWide(withList, lenderWide);
        }
        programs.removeIf(program -> program.isEmpty() && !programs.isEmpty() && programs.size() > 1
                && programs.stream().anyMatch(p -> !p.isEmpty()));
        List<Program> result = new ArrayList<>();
        if (programs.isEmpty()) {
            defaults.name = "Standard";
            result.add(defaults.toProgram(new Fields()));
        } else {
            for (Fields program : programs) {
                result.add(program.toProgram(defaults));
            }
        }
        return new LenderCriteria(result, listOrNull(lenderWide.excludedIndustries),
                listOrNull(lenderWide.excludedStates), listOrNull(lenderWide.allowedStates));
    }

    /**
     * Lines with table separators, bullets and dashes made plain. Prose that the PDF wrapped over several
     * lines is joined again and cut into sentences, so a sentence is read whole wherever it was wrapped.
     */
    static List<String> lines(String text) {
        String normal = text.replace('\f', '\n').replace('\u2013', '-').replace('\u2014', '-').replace('\u2212', '-')
                .replace('\u00a0', ' ').replace('\t', ' ').replace("\u2022", " ").replace("\u25cf", " ");
        List<String> out = new ArrayList<>();
        for (String raw : sentences(normal)) {
            String line = raw.replaceAll("\\s*\\|\\s*", ": ").replaceAll("^[\\s*\\-•·o]+(?=\\S)", "")
                    .replaceAll("(\\S)\\s{3,}(\\S)", "$1: $2").replaceAll("\\s+", " ").trim();
            if (line.startsWith(": ")) {
                line = line.substring(2);
            }
            if (line.endsWith(":") && line.length() > 1 && line.substring(0, line.length() - 1).endsWith(": ")) {
                line = line.substring(0, line.length() - 2).trim();
            }
            if (!line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    /** A wrapped line is long and does not end a sentence or open a list; the next line continues it. */
    private static List<String> sentences(String text) {
        String[] raw = text.split("\\r?\\n");
        int longest = 0;
        for (String line : raw) {
            longest = Math.max(longest, line.trim().length());
        }
        List<String> joined = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        int lastLength = 0;
        for (String line : raw) {
            String trimmed = line.trim();
            String sofar = paragraph.toString();
            // A "Label: value" line that fills the width is a list, not prose: join only what goes on
            // in lower case (or with a number), or prose without a label.
            boolean continues = paragraph.length() > 0 && lastLength >= 0.75 * longest && longest >= 60
                    && !trimmed.isEmpty() && !sofar.matches("(?s).*[.:;!?]\\s*$")
                    && !trimmed.matches("^[*\\-•·o]\\s.*")
                    && (trimmed.matches("^[a-z0-9$(].*") || !sofar.contains(":"));
            if (continues) {
                paragraph.append(' ').append(trimmed);
            } else {
                if (paragraph.length() > 0) {
                    joined.add(paragraph.toString());
                }
                paragraph = new StringBuilder(line);
            }
            lastLength = trimmed.length();
        }
        if (paragraph.length() > 0) {
            joined.add(paragraph.toString());
        }
        List<String> out = new ArrayList<>();
        for (String line : joined) {
            // Sentences end at ". " before a capital: "Min. TIB" splits harmlessly, "$1.5MM" not at all.
            out.addAll(List.of(line.split("(?<=[a-z0-9%)]\\.)\\s+(?=[A-Z(])")));
        }
        return out;
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
        String name = heading.replaceAll("\\s+", " ").replaceAll("[:]+$", "").trim();
        return name.length() > 80 ? name.substring(0, 80) : name;
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
        if (f.downPayment == null && m.find()) {
            f.downPayment = Double.parseDouble(m.group(1) != null ? m.group(1) : m.group(2));
        }
        if (f.excludedEquipment == null) {
            f.excludedEquipment = listAfterKeyword(EQUIPMENT_EXCLUDED, line);
        }
        if (f.allowedEquipment == null && !EQUIPMENT_EXCLUDED.matcher(line).find()) {
            f.allowedEquipment = listAfterKeyword(EQUIPMENT_ALLOWED, line);
        }
    }

    /** Time in business: a duration right after its keyword, or just before it ("2+ yrs TIB"). */
    private static Integer timeInBusiness(String line) {
        Matcher keyword = TIB_KEYWORD.matcher(line);
        while (keyword.find()) {
            String after = line.substring(keyword.end(), Math.min(line.length(), keyword.end() + 45));
            Matcher duration = Normalizers.DURATION.matcher(after);
            if (duration.find()) {
                return Normalizers.monthsOf(duration);
            }
            String before = line.substring(Math.max(0, keyword.start() - 30), keyword.start());
            Matcher earlier = Normalizers.DURATION.matcher(before);
            Integer last = null;
            while (earlier.find()) {
                last = Normalizers.monthsOf(earlier);
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
            if (low != null && high != null && low < high) {
                f.minAmount = f.minAmount == null ? low : f.minAmount;
                f.maxAmount = f.maxAmount == null ? high : f.maxAmount;
                return;
            }
        }
        Matcher money = Normalizers.MONEY.matcher(part);
        while (money.find()) {
            Long amount = Normalizers.moneyOf(money);
            if (amount == null) {
                continue;
            }
            String before = part.substring(Math.max(0, money.start() - 28), money.start()).toLowerCase(Locale.ROOT);
            if (MAXIMUM_WORDS.matcher(before).find()) {
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

    private static String afterColonOr(String line, int from) {
        int colon = line.indexOf(':', from);
        return colon >= 0 && colon - from < 20 ? line.substring(colon + 1) : line.substring(from);
    }

    private static List<String> listOrNull(Set<String> values) {
        return values.isEmpty() ? null : new ArrayList<>(values);
    }
}
