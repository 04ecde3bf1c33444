package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.Program;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Lenders with realistic criteria (DOMAIN.md's typical values) from a fixed seed, for benchmarks. */
public final class LenderGenerator {

    private static final String[][] INDUSTRIES = {{"cannabis", "gambling"}, {"adult entertainment", "firearms"},
            {"trucking", "real estate", "7132"}, {"non-profits", "mlm", "4539"}};
    private static final String[][] STATES = {{"CA", "NV"}, {"AK", "HI"}, {"NY"}, {}};

    private final Random random;

    public LenderGenerator(long seed) {
        this.random = new Random(seed);
    }

    public LenderCriteria next() {
        int programs = 1 + random.nextInt(3);
        List<Program> list = new ArrayList<>(programs);
        long floor = 5_000;
        for (int p = 0; p < programs; p++) {
            long max = floor * (5 + random.nextInt(20));
            list.add(new Program("Program " + (p + 1),
                    550 + random.nextInt(18) * 10,
                    random.nextInt(4) == 0 ? 0 : 12 * (1 + random.nextInt(5)),
                    random.nextBoolean() ? null : 100_000L * (1 + random.nextInt(30)),
                    floor, max,
                    24 + 12 * random.nextInt(6),
                    random.nextInt(3) == 0 ? 600 + random.nextInt(10) * 10 : null,
                    random.nextBoolean() ? 5 + random.nextInt(16) : null,
                    null,
                    random.nextInt(4) == 0 ? List.of("trucks") : null,
                    random.nextBoolean(),
                    random.nextBoolean() ? 2 + random.nextInt(9) : null,
                    random.nextInt(3) == 0 ? (double) (5 * random.nextInt(5)) : null));
            floor = max + 1;
        }
        String[] states = STATES[random.nextInt(STATES.length)];
        return new LenderCriteria(list, List.of(INDUSTRIES[random.nextInt(INDUSTRIES.length)]),
                states.length == 0 ? null : List.of(states), null);
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
}
