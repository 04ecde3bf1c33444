package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The corpus score pairs programs as a reader would, whatever order the extractor lists them in. */
class FieldScoreTest {

    private static Program program(String name, Integer fico, Integer tibMonths, Long maxAmount) {
        return new Program(name, fico, tibMonths, null, null, maxAmount, null, null, null, null, null, null, null, null, null);
    }

    private static LenderCriteria criteria(Program... programs) {
        return new LenderCriteria(List.of(programs), List.of("cannabis"), null, null);
    }

    private static final LenderCriteria TWO_SECTIONS = criteria(
            program("Standard – Tier A", 700, 60, 250_000L),
            program("Standard – Tier B", 670, 36, 150_000L),
            program("Medical – Tier A", 720, 24, 750_000L),
            program("Medical – Tier B", 690, 12, 500_000L));

    @Test
    void programsInAnotherOrderAreStillPairedByName() {
        LenderCriteria extracted = criteria(
                program("medical - tier b", 690, 12, 500_000L),
                program("MEDICAL – TIER A", 720, 24, 750_000L),
                program("Standard Tier B", 670, 36, 150_000L),
                program("Standard – Tier A", 700, 60, 250_000L));

        FieldScore score = new FieldScore().add("doc", TWO_SECTIONS, extracted);

        assertThat(score.truePositives()).isEqualTo(13);
        assertThat(score.falsePositives()).isZero();
        assertThat(score.falseNegatives()).isZero();
    }

    @Test
    void programsNamedDifferentlyArePairedByTheirMostAgreeingValues() {
        // The extractor named the tiers its own way and found only three of them.
        LenderCriteria extracted = criteria(
                program("B", 690, 12, 500_000L),
                program("Program 2", 670, 36, 100_000L),
                program("A", 700, 60, 250_000L));

        FieldScore score = new FieldScore().add("doc", TWO_SECTIONS, extracted);

        assertThat(score.truePositives()).as("3 + 2 + 3 program values and the industry").isEqualTo(9);
        assertThat(score.falsePositives()).as("the wrong max_amount of Standard – Tier B").isEqualTo(1);
        assertThat(score.falseNegatives()).as("that max_amount and all three values of Medical – Tier A")
                .isEqualTo(4);
        assertThat(score.wrongValues()).containsExactly(
                "doc programs[1] 'Standard – Tier B'.max_amount: expected 150000, extracted 100000");
        assertThat(score.errorsByField().get(0).getKey()).isEqualTo("max_amount");
    }

    @Test
    void oneMergedProgramIsPairedWithTheTierItAgreesWithMostAndTheRestAreMissed() {
        // The failure the issue describes: every tier read as one "Standard" program of mixed values.
        LenderCriteria extracted = criteria(program("Standard", 720, 24, 750_000L));

        FieldScore score = new FieldScore().add("doc", TWO_SECTIONS, extracted);

        assertThat(score.mistakes()).noneMatch(m -> m.contains("'Medical – Tier A'"));
        assertThat(score.truePositives()).isEqualTo(4);
        assertThat(score.falseNegatives()).isEqualTo(9);
        assertThat(score.f1()).isBetween(0.47, 0.48);
    }

    @Test
    void extraProgramsAreCountedAsUnexpectedValues() {
        LenderCriteria expected = criteria(program("Tier 1", 700, 36, null));
        LenderCriteria extracted = criteria(program("Tier 1", 700, 36, null), program("Tier 9", 600, null, null));

        FieldScore score = new FieldScore().add("doc", expected, extracted);

        assertThat(score.falsePositives()).isEqualTo(1);
        assertThat(score.wrongValues()).containsExactly("doc extra programs[1] 'Tier 9'.min_fico: expected null, extracted 600");
    }
}
