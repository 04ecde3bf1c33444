package ai.kaaj.matching;

import java.util.Locale;
import java.util.Set;

/**
 * Whole-word phrase matching for industries and equipment types, never substrings: "truck parts retail"
 * is not "trucking", and "restaurant supply" is not "restaurant" because a phrase followed by a word
 * such as supply, parts or equipment names a business that serves that industry, not one in it.
 */
final class Phrases {

    /** Words after an industry name that make it a different business (a supplier to that industry). */
    private static final Set<String> SUPPLIER_WORDS = Set.of("supply", "supplies", "supplier", "suppliers",
            "distributor", "distributors", "distribution", "wholesale", "wholesaler", "parts", "equipment",
            "repair", "software", "consulting", "consultant", "staffing", "insurance");

    private Phrases() {
    }

    static boolean isNaicsCode(String entry) {
        if (entry.isEmpty() || entry.length() > 6) {
            return false;
        }
        for (int i = 0; i < entry.length(); i++) {
            if (!Character.isDigit(entry.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether an application's industry belongs to an excluded industry phrase. */
    static boolean isIndustry(String industry, String excluded) {
        String[] words = words(industry);
        String[] phrase = words(excluded);
        if (phrase.length == 0) {
            return false;
        }
        for (int start = 0; start + phrase.length <= words.length; start++) {
            if (matchesAt(words, phrase, start)) {
                int next = start + phrase.length;
                if (next < words.length && SUPPLIER_WORDS.contains(words[next])) {
                    continue;
                }
                return true;
            }
        }
        return false;
    }

    /** Equipment types: the same phrase, either way round ("dump trucks" is of kind "trucks"). */
    static boolean sameKind(String type, String listed) {
        String[] a = words(type);
        String[] b = words(listed);
        return contains(a, b) || contains(b, a);
    }

    private static boolean contains(String[] words, String[] phrase) {
        if (phrase.length == 0) {
            return false;
        }
        for (int start = 0; start + phrase.length <= words.length; start++) {
            if (matchesAt(words, phrase, start)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(String[] words, String[] phrase, int start) {
        for (int i = 0; i < phrase.length; i++) {
            if (!words[start + i].equals(phrase[i])) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case words, split on anything not a letter or digit, singular ("restaurants" is "restaurant"). */
    static String[] words(String text) {
        String[] raw = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
        int count = 0;
        for (String word : raw) {
            if (!word.isEmpty()) {
                raw[count++] = singular(word);
            }
        }
        String[] words = new String[count];
        System.arraycopy(raw, 0, words, 0, count);
        return words;
    }

    private static String singular(String word) {
        if (word.length() > 4 && word.endsWith("ies")) {
            return word.substring(0, word.length() - 3) + "y";
        }
        if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")
                && !word.endsWith("is")) {
            return word.substring(0, word.length() - 1);
        }
        return word;
    }
}
