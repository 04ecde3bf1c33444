package ai.kaaj.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Word and phrase matching for industries and equipment types. Never substrings: text is cut into
 * lower-case words (anything not a letter or digit separates words), each word made singular
 * ("restaurants" is "restaurant", "dispensaries" is "dispensary"), and a phrase matches only whole
 * words. Word breaks inside a phrase do not matter, so "non-profit", "non profit" and "nonprofit" are
 * the same phrase, as are "long-haul" and "longhaul".
 *
 * <h2>The excluded-industry rule</h2>
 * An excluded industry phrase E matches an application's industry I when E occurs in I on word
 * boundaries and that occurrence names a business <em>in</em> the industry, not one that serves it:
 * <ol>
 *   <li>I equals E, or E is I's head (I ends with E): "long-haul trucking" is "trucking",
 *       "Italian restaurant" is "restaurant";</li>
 *   <li>or E is followed by words that still describe a business of E ("cannabis dispensary",
 *       "gambling hall", "real estate brokerage"): the first following word that is not a filler
 *       (industry, sector, business, trade) is not one of {@link #SERVING_WORDS}. A serving word
 *       makes it a supplier to E: "restaurant supply", "restaurant industry supplier",
 *       "truck parts retail" (parts), "trucking insurance", "cannabis software";</li>
 *   <li>and E is not the object of "for", "to" or "serving" ("equipment for restaurants",
 *       "supplier to the trucking industry").</li>
 * </ol>
 * The rule deliberately goes further than "E is I's head noun phrase": that narrower rule would let
 * "cannabis dispensary" or "firearms dealer" through a cannabis or firearms exclusion, the exclusions
 * lenders care most about; a wrongly excluded supplier is visible in the reason and cheap to correct,
 * a missed exclusion sends a deal to a lender who must refuse it.
 * Different words never match: "trucking" does not match "truck parts retail" (truck is not trucking).
 */
final class Phrases {

    /** Words that, right after an industry phrase, make the business a supplier or service to that industry. */
    static final Set<String> SERVING_WORDS = Set.of(
            "supply", "supplier", "distributor", "distribution", "wholesale", "wholesaler", "part", "equipment",
            "repair", "maintenance", "software", "technology", "consulting", "consultant", "staffing", "recruiting",
            "insurance", "marketing", "advertising", "cleaning", "accounting", "payroll", "photography", "design",
            "furniture", "fixture", "packaging", "uniform", "pos", "addiction");

    /** Words between an industry phrase and a serving word that do not change the meaning. */
    private static final Set<String> FILLER_WORDS = Set.of("industry", "sector", "business", "trade");

    /** Words before an industry phrase that make it the customer, not the business. */
    private static final Set<String> SERVING_PREPOSITIONS = Set.of("for", "to", "serving");

    /** Equipment words that say nothing about the kind: "construction equipment" is of kind "construction". */
    private static final Set<String> GENERIC_EQUIPMENT_WORDS = Set.of("equipment", "machinery", "machine");

    /** Lender-side phrases are few and repeat across lenders, so their word forms are kept. */
    private static final int CACHE_LIMIT = 8192;
    private static final ConcurrentHashMap<String, Phrase> INDUSTRY_PHRASES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, Phrase> EQUIPMENT_PHRASES = new ConcurrentHashMap<>();

    private Phrases() {
    }

    /**
     * An entry of a lender's list, compared by its words joined without breaks ("nonprofit").
     * code is set for an all-digit entry of 2 to 6 digits: a NAICS code prefix.
     */
    record Phrase(String text, String joined, boolean code) {
    }

    /** The words of an application's text, and where each starts in their join. */
    static final class Words {
        final String text;
        final String[] words;
        final String joined;
        /** starts[i] is where words[i] starts in joined; starts[words.length] is joined.length(). */
        final int[] starts;
        /** boundary[k]: a word starts (or the text ends) at offset k of joined. */
        final boolean[] boundary;

        Words(String text, String[] words) {
            this.text = text;
            this.words = words;
            StringBuilder join = new StringBuilder(text.length());
            this.starts = new int[words.length + 1];
            for (int i = 0; i < words.length; i++) {
                starts[i] = join.length();
                join.append(words[i]);
            }
            starts[words.length] = join.length();
            this.joined = join.toString();
            this.boundary = new boolean[joined.length() + 1];
            for (int start : starts) {
                boundary[start] = true;
            }
        }

        boolean isEmpty() {
            return words.length == 0;
        }

        /** The index of the word that starts at offset, or -1. */
        int wordAt(int offset) {
            for (int i = 0; i < starts.length; i++) {
                if (starts[i] == offset) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** An application's industry as words. */
    static Words industryWords(String text) {
        return new Words(text, words(text));
    }

    /** An application's equipment type as words, without generic words ("equipment") unless that is all it says. */
    static Words equipmentWords(String text) {
        String[] all = words(text);
        List<String> kept = new ArrayList<>(all.length);
        for (String word : all) {
            if (!GENERIC_EQUIPMENT_WORDS.contains(word)) {
                kept.add(word);
            }
        }
        return new Words(text, kept.isEmpty() ? all : kept.toArray(new String[0]));
    }

    static Phrase industryPhrase(String entry) {
        return cached(INDUSTRY_PHRASES, entry, false);
    }

    static Phrase equipmentPhrase(String entry) {
        return cached(EQUIPMENT_PHRASES, entry, true);
    }

    private static Phrase cached(ConcurrentHashMap<String, Phrase> cache, String entry, boolean equipment) {
        Phrase phrase = cache.get(entry);
        if (phrase == null) {
            phrase = phrase(entry, equipment);
            if (cache.size() < CACHE_LIMIT) {
                cache.putIfAbsent(entry, phrase);
            }
        }
        return phrase;
    }

    private static Phrase phrase(String entry, boolean equipment) {
        String trimmed = entry.trim();
        Words words = equipment ? equipmentWords(trimmed) : industryWords(trimmed);
        return new Phrase(trimmed, words.joined, !equipment && isNaicsCode(trimmed));
    }

    /** An all-digit entry of 2 to 6 digits, as NAICS codes and their prefixes are written. */
    static boolean isNaicsCode(String entry) {
        if (entry.length() < 2 || entry.length() > 6) {
            return false;
        }
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether the application's industry is in the excluded industry (see the class comment for the rule). */
    static boolean inIndustry(Words industry, Phrase excluded) {
        String phrase = excluded.joined();
        if (phrase.isEmpty() || phrase.length() > industry.joined.length()) {
            return false;
        }
        String[] words = industry.words;
        for (int first = 0; first < words.length; first++) {
            int end = industry.starts[first] + phrase.length();
            if (end > industry.joined.length() || !industry.boundary[end]
                    || !industry.joined.startsWith(phrase, industry.starts[first])) {
                continue;
            }
            if (servedByPreposition(words, first)) {
                continue;
            }
            int next = industry.wordAt(end);
            while (next < words.length && FILLER_WORDS.contains(words[next])) {
                next++;
            }
            if (next < words.length && SERVING_WORDS.contains(words[next])) {
                continue;
            }
            return true;
        }
        return false;
    }

    private static boolean servedByPreposition(String[] words, int first) {
        int before = first - 1;
        if (before >= 0 && words[before].equals("the")) {
            before--;
        }
        return before >= 0 && SERVING_PREPOSITIONS.contains(words[before]);
    }

    /**
     * Whether an application's equipment type is of a listed kind: the listed phrase occurs in the type on
     * word boundaries, generic words aside. "dump trucks" is of kind "truck", "construction equipment" of kind
     * "construction"; a type more general than the listed kind is not ("trucks" is not of kind "semi trucks").
     */
    static boolean ofKind(Words type, Phrase listed) {
        String phrase = listed.joined();
        if (phrase.isEmpty() || phrase.length() > type.joined.length()) {
            return false;
        }
        for (int first = 0; first < type.words.length; first++) {
            int end = type.starts[first] + phrase.length();
            if (end <= type.joined.length() && type.boundary[end]
                    && type.joined.startsWith(phrase, type.starts[first])) {
                return true;
            }
        }
        return false;
    }

    /** Lower-case singular words; anything but a letter or a digit separates them. No regular expressions. */
    static String[] words(String text) {
        List<String> out = new ArrayList<>(4);
        int length = text.length();
        int i = 0;
        while (i < length) {
            while (i < length && !Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < length && Character.isLetterOrDigit(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(singular(lowerCase(text, start, i)));
            }
        }
        return out.toArray(new String[0]);
    }

    private static String lowerCase(String text, int start, int end) {
        char[] chars = new char[end - start];
        for (int k = start; k < end; k++) {
            chars[k - start] = Character.toLowerCase(text.charAt(k));
        }
        return new String(chars);
    }

    /** English plurals well enough for industry and equipment names; both sides go through it alike. */
    static String singular(String word) {
        int n = word.length();
        if (n > 4 && word.endsWith("ies")) {
            return word.substring(0, n - 3) + "y";
        }
        if (n > 4 && (word.endsWith("sses") || word.endsWith("ches") || word.endsWith("shes")
                || word.endsWith("xes"))) {
            return word.substring(0, n - 2);
        }
        if (n > 3 && word.charAt(n - 1) == 's' && !word.endsWith("ss") && !word.endsWith("us")
                && !word.endsWith("is")) {
            return word.substring(0, n - 1);
        }
        return word;
    }
}
