package ai.kaaj.extraction;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** US states, DC and territories lenders name: two-letter codes and the names written in guidelines. */
public final class UsStates {

    private static final Map<String, String> CODE_BY_NAME;

    static {
        String[][] pairs = {
                {"AL", "alabama"}, {"AK", "alaska"}, {"AZ", "arizona"}, {"AR", "arkansas"}, {"CA", "california"},
                {"CO", "colorado"}, {"CT", "connecticut"}, {"DE", "delaware"}, {"DC", "district of columbia"},
                {"FL", "florida"}, {"GA", "georgia"}, {"HI", "hawaii"}, {"ID", "idaho"}, {"IL", "illinois"},
                {"IN", "indiana"}, {"IA", "iowa"}, {"KS", "kansas"}, {"KY", "kentucky"}, {"LA", "louisiana"},
                {"ME", "maine"}, {"MD", "maryland"}, {"MA", "massachusetts"}, {"MI", "michigan"},
                {"MN", "minnesota"}, {"MS", "mississippi"}, {"MO", "missouri"}, {"MT", "montana"},
                {"NE", "nebraska"}, {"NV", "nevada"}, {"NH", "new hampshire"}, {"NJ", "new jersey"},
                {"NM", "new mexico"}, {"NY", "new york"}, {"NC", "north carolina"}, {"ND", "north dakota"},
                {"OH", "ohio"}, {"OK", "oklahoma"}, {"OR", "oregon"}, {"PA", "pennsylvania"},
                {"RI", "rhode island"}, {"SC", "south carolina"}, {"SD", "south dakota"}, {"TN", "tennessee"},
                {"TX", "texas"}, {"UT", "utah"}, {"VT", "vermont"}, {"VA", "virginia"}, {"WA", "washington"},
                {"WV", "west virginia"}, {"WI", "wisconsin"}, {"WY", "wyoming"}, {"PR", "puerto rico"},
                {"GU", "guam"}, {"VI", "virgin islands"}, {"AS", "american samoa"},
                {"MP", "northern mariana islands"}};
        Map<String, String> byName = new LinkedHashMap<>();
        for (String[] pair : pairs) {
            byName.put(pair[1], pair[0]);
        }
        CODE_BY_NAME = Collections.unmodifiableMap(byName);
    }

    private static final Set<String> CODES = Set.copyOf(CODE_BY_NAME.values());

    private UsStates() {
    }

    /** The two-letter code for a code ("ca", "CA") or a full name ("California"); empty when it is neither. */
    public static Optional<String> toCode(String codeOrName) {
        if (codeOrName == null) {
            return Optional.empty();
        }
        String cleaned = codeOrName.trim().replaceAll("[.\\s]+", " ").toLowerCase(Locale.ROOT);
        if (cleaned.length() == 2 && CODES.contains(cleaned.toUpperCase(Locale.ROOT))) {
            return Optional.of(cleaned.toUpperCase(Locale.ROOT));
        }
        return Optional.ofNullable(CODE_BY_NAME.get(cleaned));
    }

    public static boolean isCode(String code) {
        return code != null && CODES.contains(code);
    }

    /** Full state names, lower case, longest first so "west virginia" is found before "virginia". */
    public static java.util.List<String> namesLongestFirst() {
        return CODE_BY_NAME.keySet().stream()
                .sorted((a, b) -> Integer.compare(b.length(), a.length()))
                .toList();
    }
}
