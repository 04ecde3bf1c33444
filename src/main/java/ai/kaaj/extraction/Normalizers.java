package ai.kaaj.extraction;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ways guidelines write money, durations, percentages, states and industries, turned into the
 * schema's units: whole USD, months, two-letter state codes, lower-case industry names or NAICS digits.
 * Anything not recognised is null, never a guess.
 */
public final class Normalizers {

    /** A number written in words, as guidelines do for small counts ("two years"). */
    static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("one", 1), Map.entry("two", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
            Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
            Map.entry("twelve", 12), Map.entry("fifteen", 15), Map.entry("eighteen", 18), Map.entry("twenty", 20),
            Map.entry("thirty", 30), Map.entry("sixty", 60));

    static final String NUMBER = "(\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen"
            + "|eighteen|twenty|thirty|sixty)";

    /** $250K, 250,000, $1.5MM, $1.5 million, USD 50,000, 10k. Group 1 the number, 2 the scale word. */
    public static final Pattern MONEY = Pattern.compile(
            "(?i)(?:\\$|usd\\s?)?\\s?(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)\\s?"
                    + "(mm|million|mil|m|k|thousand|b|billion)?\\b");

    /** 2 years, 24 months, 2+ yrs, two years, 18 mos, 1.5 years. Group 1 number, 2 unit. */
    public static final Pattern DURATION = Pattern.compile(
            "(?i)\\b" + NUMBER + "\\s?\\+?\\s?(?:or\\s+more\\s+|plus\\s+)?(?:-\\s?)?(years?|yrs?|months?|mos?)\\b");

    private static final String COUNT_WORD = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
            + "fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
            + "hundred|thousand|million";
    /**
     * A figure written out in words and repeated in figures, as legal prose does: "twenty-four (24) months", "ten
     * percent (10%)", "three hundred fifty thousand dollars ($350,000)". Group 1 the figure.
     */
    private static final Pattern WORDS_THEN_FIGURE = Pattern.compile("(?i)\\b(?:" + COUNT_WORD + ")(?:(?:\\s+|-)(?:"
            + COUNT_WORD + "|and))*(?:\\s+(?:percent|per\\s+cent|dollars|u\\.s\\.\\s+dollars))?\\s*\\((\\$?\\d[\\d,.]*\\s?%?)\\)");

    /** The text with each figure written both ways kept once, in figures: "twenty-four (24) months" is "24 months". */
    public static String figuresForWords(String text) {
        return WORDS_THEN_FIGURE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
    }

    public static final Pattern PERCENT = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s?(?:%|percent\\b)");

    private Normalizers() {
    }

    /** Whole dollars from "$1.5MM", "250,000", "$250K"; null when the text holds no amount. */
    public static Long money(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = MONEY.matcher(text);
        while (m.find()) {
            Long value = moneyOf(m);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    /**
     * The amount a MONEY match stands for. A bare number counts as money only when it has thousands
     * separators or a $ / scale word: "650" in "FICO 650" is not money.
     */
    static Long moneyOf(Matcher m) {
        String digits = m.group(1);
        String scale = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        boolean dollar = m.group(0).trim().startsWith("$") || m.group(0).toLowerCase(Locale.ROOT).startsWith("usd");
        if (!dollar && scale.isEmpty() && !digits.contains(",")) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(digits.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
        double multiplier = switch (scale) {
            case "k", "thousand" -> 1_000;
            case "m", "mm", "mil", "million" -> 1_000_000;
            case "b", "billion" -> 1_000_000_000;
            default -> 1;
        };
        return Math.round(value * multiplier);
    }

    /** All the amounts in the text, in order. */
    public static List<Long> amounts(String text) {
        List<Long> out = new ArrayList<>();
        Matcher m = MONEY.matcher(text);
        while (m.find()) {
            Long value = moneyOf(m);
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    /** Months from "2 years", "24 months", "2+ yrs", "two years"; null when none. */
    public static Integer months(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = DURATION.matcher(text);
        return m.find() ? monthsOf(m) : null;
    }

    static Integer monthsOf(Matcher m) {
        Double number = number(m.group(1));
        if (number == null) {
            return null;
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        double months = unit.startsWith("y") ? number * 12 : number;
        return (int) Math.round(months);
    }

    /** Years as written ("7 years", "seven years"); a duration in months is converted. */
    public static Integer years(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.find()) {
            return null;
        }
        Double number = number(m.group(1));
        if (number == null) {
            return null;
        }
        return m.group(2).toLowerCase(Locale.ROOT).startsWith("y") ? (int) Math.round(number)
                : (int) Math.round(number / 12);
    }

    public static Double percent(String text) {
        Matcher m = PERCENT.matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    static Double number(String word) {
        Integer fromWord = NUMBER_WORDS.get(word.toLowerCase(Locale.ROOT));
        if (fromWord != null) {
            return fromWord.doubleValue();
        }
        try {
            return Double.parseDouble(word);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The state codes in a list written as codes or names: "CA, NV", "California and Nevada",
     * "AK/HI". Codes must be upper case in the text, so the word "in" or "or" is never Indiana or Oregon.
     */
    public static List<String> states(String text) {
        Set<String> codes = new LinkedHashSet<>();
        String rest = " " + text.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ") + " ";
        for (String name : UsStates.namesLongestFirst()) {
            String padded = " " + name + " ";
            if (rest.contains(padded)) {
                codes.add(UsStates.toCode(name).orElseThrow());
                rest = rest.replace(padded, "  ");
            }
        }
        // A code counts where a list puts it: after punctuation, a list word, or another code. So in
        // capitals, "AVAILABLE IN CA" is California only, not Indiana too.
        Matcher token = TOKEN.matcher(text);
        String previous = "";
        boolean previousWasCode = false;
        while (token.find()) {
            String word = token.group();
            boolean isCode = word.length() == 2 && UsStates.isCode(word)
                    && (previous.isEmpty() || !Character.isLetterOrDigit(previous.charAt(0))
                    || LIST_WORDS.contains(previous.toLowerCase(Locale.ROOT)) || previousWasCode);
            if (isCode) {
                codes.add(word);
            }
            previousWasCode = isCode;
            previous = word;
        }
        return new ArrayList<>(codes);
    }

    /** Industry names with "and" inside, which a list must not split: "oil and gas exploration". */
    private static final List<String> COMPOUND_INDUSTRIES = List.of("oil and gas", "food and beverage",
            "bed and breakfast", "arts and entertainment", "accommodation and food services", "health and beauty",
            "sand and gravel", "hunting and fishing", "repair and maintenance", "rental and leasing");

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]+|[^A-Za-z\\s]");
    private static final Set<String> LIST_WORDS = Set.of("in", "no", "not", "except", "excluding", "and", "or",
            "only", "of", "including", "states", "state", "plus");

    /**
     * Industry names and codes from a list: "cannabis, adult entertainment; gambling and firearms",
     * "SIC/NAICS: 7011, 713210". Names lower case; codes as digits.
     */
    /** An item that speaks of the lender or the reader ("where we lend") or a place is no line of business. */
    private static final Pattern NOT_AN_INDUSTRY = Pattern.compile("\\b(?:we|our|us|you|your|these|those|following|such)\\b");
    private static final Pattern CODES = Pattern.compile("\\b(?:sic|naics)\\b", Pattern.CASE_INSENSITIVE);

    public static List<String> industries(String text) {
        Set<String> out = new LinkedHashSet<>();
        String protectedText = text;
        for (String compound : COMPOUND_INDUSTRIES) {
            protectedText = protectedText.replaceAll("(?i)\\b" + compound + "\\b", compound.replace(" and ", " & "));
        }
        // What parentheses add qualifies the name before them ("Cannabis (growers and dispensaries)", "Trucking
        // (local & long haul)") or remarks on it: no industry of its own ("local" would exclude every local trade).
        String cleaned = protectedText.replaceAll("(?i)\\b(sic|naics)(\\s*(/|or|and)\\s*(sic|naics))?\\s*(codes?)?\\s*:?", ",")
                .replaceAll("\\([^()]*\\)", "");
        for (String part : cleaned.split("(?i)\\s*(?:[,;•·|]|\\band\\b|\\bor\\b|\\betc\\b\\.?|\\s-\\s)\\s*")) {
            String item = part.trim().toLowerCase(Locale.ROOT)
                    .replaceAll("^(?:(?:remains?|are|is|include|includes|including|such as|any|all|other|no|businesses? in"
                            + "|companies in|the)\\s+)+", "")
                    .replaceAll("[.:*]+$", "")
                    .replace(" & ", " and ")
                    .replaceAll("\\s+(businesses|business|companies|industry|industries|related|operations|venues|establishments)$", "")
                    .trim();
            // A number is an industry code: SIC and NAICS codes have 4 to 6 digits, a 2- or 3-digit NAICS sector only
            // where the list says it gives codes; other figures ("660", the "000" of "$5,000") are a table's values.
            if (item.matches("\\d{4,6}") || item.matches("\\d{2,3}") && CODES.matcher(text).find()) {
                out.add(item);
            } else if (item.matches("[a-z][a-z /&'-]{1,40}") && item.split(" ").length <= 4
                    && !NOT_AN_INDUSTRY.matcher(item).find() && UsStates.toCode(item).isEmpty()) {
                out.add(item);
            }
        }
        return new ArrayList<>(out);
    }
}
