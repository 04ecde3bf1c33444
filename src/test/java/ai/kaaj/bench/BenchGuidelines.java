package ai.kaaj.bench;

import java.util.Locale;

/** Generated guideline documents for benchmarks: the same layouts with varying numbers. */
final class BenchGuidelines {

    private static final String[] STATES = {"California, Nevada", "AK, HI", "New York", "FL, GA and SC"};
    private static final String[] INDUSTRIES = {"cannabis, gambling", "adult entertainment, firearms",
            "trucking, real estate", "non-profits, MLM"};

    private BenchGuidelines() {
    }

    static String onePage(int seed) {
        return String.format(Locale.ROOT, """
                Lender %d Credit Guidelines

                Minimum FICO: %d
                Time in business: %d years
                Transaction size: $%dK - $%dK
                Maximum term: %d months
                Restricted industries: %s
                Not available in: %s
                """, seed, 620 + seed % 8 * 10, 1 + seed % 4, 10 + seed % 5 * 5, 150 + seed % 7 * 50,
                36 + seed % 4 * 12, INDUSTRIES[seed % 4], STATES[seed % 4]);
    }

    /** Five pages: the criteria, then four pages of the prose guidelines wrap around them. */
    static String fivePages(int seed) {
        StringBuilder text = new StringBuilder(onePage(seed));
        String prose = "The lessee must provide complete and accurate information. Documentation requirements "
                + "vary by transaction size and credit profile; our credit team reviews each submission in order "
                + "of receipt and may request additional financial statements, tax returns or bank statements. ";
        for (int page = 2; page <= 5; page++) {
            text.append('\f').append("Program details, page ").append(page).append("\n\n");
            for (int paragraph = 0; paragraph < 6; paragraph++) {
                text.append(prose).append("\n\n");
            }
        }
        return text.toString();
    }
}
