package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.Program;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Lenders with realistic criteria from a fixed seed, for benchmarks and tests: 1 to 3 programs tiered by deal
 * size (app-only, full financials, large ticket; a quarter of lenders lead with a startup program), DOMAIN.md's
 * typical values (FICO 550-720, 0-60 months in business, $5,000-$5,000,000, 24-84 months, PayNet 600-700,
 * equipment 5-20 years, look-back 2-10 years, 0-20% down), exclusion lists of industries (names and NAICS
 * prefixes), states and equipment kinds, and some regional lenders serving only a few states.
 * The criteria pass CriteriaValidator.
 */
public final class LenderGenerator {

    private static final String[] INDUSTRIES = {"cannabis", "adult entertainment", "gambling", "firearms", "trucking",
            "long-haul trucking", "real estate", "non-profits", "mlm", "restaurants", "7132", "4539", "5311", "8131"};
    private static final String[] STATES = {"CA", "NV", "NY", "NJ", "AK", "HI", "VT", "LA", "ND"};
    private static final String[][] REGIONS = {{"TX", "OK", "LA", "AR", "NM"}, {"FL", "GA", "AL", "SC", "NC", "TN"},
            {"OH", "MI", "IN", "IL", "WI", "MN"}, {"WA", "OR", "ID", "MT"}};
    private static final String[][] EXCLUDED_KINDS = {{"trucks"}, {"aircraft", "titled vehicles"},
            {"cannabis equipment"}, {"trucks", "trailers", "buses"}};
    private static final String[][] ALLOWED_KINDS = {{"construction", "agriculture"}, {"medical"},
            {"technology", "office"}, {"restaurant", "food service"}, {"construction", "trucks", "vocational"}};
    private static final String[] TIER_NAMES = {"App only", "Full financials", "Large ticket"};

    private final Random random;

    public LenderGenerator(long seed) {
        this.random = new Random(seed);
    }

    public LenderCriteria next() {
        int count = 1 + random.nextInt(3);
        boolean startupProgram = random.nextInt(4) == 0;
        List<Program> programs = new ArrayList<>(count);
        long floor = 5_000L * (1 + random.nextInt(4));
        int fico = 550 + 10 * random.nextInt(12);
        for (int tier = 0; tier < count; tier++) {
            boolean startup = startupProgram && tier == 0;
            long max = tier == count - 1 && random.nextInt(5) == 0 ? 5_000_000L
                    : Math.min(5_000_000L, roundTo(floor * (4 + random.nextInt(30)), 5_000L));
            int months = startup ? 0 : pick(12, 24, 24, 24, 36, 36, 48, 60);
            programs.add(new Program(startup ? "Startup" : TIER_NAMES[tier],
                    Math.min(720, fico + (startup ? 40 : 0)),
                    months,
                    tier == 0 ? null : 250_000L * (1 + random.nextInt(8)) * tier,
                    floor, max,
                    pick(24, 36, 48, 60, 60, 72, 84),
                    random.nextInt(3) == 0 ? 600 + 10 * random.nextInt(11) : null,
                    random.nextBoolean() ? 5 + random.nextInt(16) : null,
                    random.nextInt(8) == 0 ? List.of(ALLOWED_KINDS[random.nextInt(ALLOWED_KINDS.length)]) : null,
                    random.nextInt(4) == 0 ? List.of(EXCLUDED_KINDS[random.nextInt(EXCLUDED_KINDS.length)]) : null,
                    startup ? Boolean.TRUE : months >= 24 && random.nextInt(3) > 0 ? Boolean.FALSE : null,
                    random.nextBoolean() ? 2 + random.nextInt(9) : null,
                    random.nextInt(3) == 0 ? (double) (5 * random.nextInt(5)) : null, null));
            floor = max + 1;
            fico = Math.min(720, fico + 10 * random.nextInt(4));
            if (floor >= 5_000_000L) {
                break;
            }
        }
        return new LenderCriteria(programs, some(INDUSTRIES, random.nextInt(6)),
                random.nextInt(3) == 0 ? null : some(STATES, 1 + random.nextInt(3)),
                random.nextInt(10) == 0 ? List.of(REGIONS[random.nextInt(REGIONS.length)]) : null);
    }

    public List<LenderCriteria> lenders(int count) {
        List<LenderCriteria> lenders = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lenders.add(next());
        }
        return lenders;
    }

    /** The application the benchmarks match: every field filled, as a complete broker submission. */
    public static LoanApplication application() {
        return new LoanApplication("Rivera Excavation LLC", "TX", "excavation contractor", "238910", 48, null,
                1_800_000L, 120_000L, 60, "construction", 2021, "used", 702, 680, null, 10.0);
    }

    private int pick(int... values) {
        return values[random.nextInt(values.length)];
    }

    private List<String> some(String[] pool, int count) {
        if (count == 0) {
            return null;
        }
        Set<String> chosen = new LinkedHashSet<>();
        while (chosen.size() < count) {
            chosen.add(pool[random.nextInt(pool.length)]);
        }
        return List.copyOf(chosen);
    }

    private static long roundTo(long value, long step) {
        return Math.max(step, value / step * step);
    }
}
