package ai.kaaj.extraction;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The criteria schema's rules: every problem named by its field path, the canonical form of lists, and a document's
 * reading reviewed (values that break a rule dropped with a warning, never a failure).
 */
class CriteriaValidatorTest {

    private static Program program(String name, Integer fico, Long minAmount, Long maxAmount) {
        return new Program(name, fico, 24, null, minAmount, maxAmount, 60, null, 10, null, null, false, 7, 10.0, null);
    }

    private static LenderCriteria criteria(List<Program> programs, List<String> excludedStates) {
        return new LenderCriteria(programs, List.of("cannabis"), excludedStates, null);
    }

    @Test
    void soundCriteriaHaveNoErrors() {
        assertThat(CriteriaValidator.validate(criteria(List.of(program("App only", 650, 10_000L, 150_000L)),
                List.of("CA", "NV")))).isEmpty();
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments("negative FICO", criteria(List.of(program("A", -650, null, null)), null),
                        "programs[0].min_fico must be between 300 and 850, not -650"),
                arguments("FICO above the scale", criteria(List.of(program("A", 900, null, null)), null),
                        "programs[0].min_fico must be between 300 and 850, not 900"),
                arguments("max below min", criteria(List.of(program("A", 650, 250_000L, 10_000L)), null),
                        "programs[0].max_amount (10000) is less than min_amount (250000)"),
                arguments("negative amount", criteria(List.of(program("A", 650, -5L, null)), null),
                        "programs[0].min_amount must not be negative, not -5"),
                arguments("unknown state code", criteria(List.of(program("A", 650, null, null)), List.of("CA", "ZZ")),
                        "excluded_states[1] 'ZZ' is not a US state code"),
                arguments("empty programs", criteria(List.of(), null), "programs must not be empty"),
                arguments("no programs at all", criteria(null, null), "programs must not be empty"),
                arguments("duplicate program names",
                        criteria(List.of(program("Tier 1", 650, null, null), program("tier 1", 700, null, null)), null),
                        "programs[1].name 'tier 1' is used by another program"),
                arguments("down payment over 100", new LenderCriteria(List.of(new Program("A", null, null, null, null,
                                null, null, null, null, null, null, null, null, 120.0, null)), null, null, null),
                        "programs[0].min_down_payment_pct must be between 0 and 100, not 120.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void namesEachProblem(String description, LenderCriteria criteria, String error) {
        assertThat(CriteriaValidator.validate(criteria)).contains(error);
    }

    @Test
    void everyProblemIsListedNotJustTheFirst() {
        LenderCriteria bad = new LenderCriteria(List.of(program("A", 200, 100L, 50L)), null, List.of("XX"),
                List.of("Narnia"));
        assertThat(CriteriaValidator.validate(bad)).hasSize(4);
    }

    @Test
    void normaliseTurnsStateNamesIntoSortedCodes() {
        LenderCriteria typed = new LenderCriteria(List.of(program(" App only ", 650, null, null)),
                List.of(" Cannabis", "cannabis", "Adult  Entertainment"), List.of("Oregon", "ca", "Nevada", "CA"),
                List.of("new york"));
        LenderCriteria normal = CriteriaValidator.normalise(typed);
        assertThat(normal.excludedStates()).containsExactly("CA", "NV", "OR");
        assertThat(normal.allowedStates()).containsExactly("NY");
        assertThat(normal.excludedIndustries()).containsExactly("cannabis", "adult entertainment");
        assertThat(normal.programs().get(0).name()).isEqualTo("App only");
        assertThat(CriteriaValidator.validate(normal)).isEmpty();
    }

    @Test
    void normaliseKeepsAnUnknownStateSoValidateCanNameIt() {
        LenderCriteria normal = CriteriaValidator.normalise(criteria(List.of(program("A", 650, null, null)),
                List.of("Oregon", "Atlantis")));
        assertThat(normal.excludedStates()).containsExactly("Atlantis", "OR");
        assertThat(CriteriaValidator.validate(normal)).containsExactly("excluded_states[0] 'Atlantis' is not a US state code");
    }

    @Test
    void emptyListsBecomeNoRestriction() {
        LenderCriteria normal = CriteriaValidator.normalise(new LenderCriteria(List.of(program("A", 650, null, null)),
                List.of(" "), List.of(), null));
        assertThat(normal.excludedIndustries()).isNull();
        assertThat(normal.excludedStates()).isNull();
    }

    private static final Evidence AMOUNT_LINE = Evidence.onPage(1, "Transaction size: minimum $5,000, maximum $175",
            "line 6");
    private static final Evidence FICO_LINE = Evidence.onPage(1, "Minimum FICO 660", "line 4");

    @Test
    void reviewDropsAMaximumBelowItsMinimumWithAWarningQuotingTheTextAndKeepsTheRest() {
        CriteriaReading read = new CriteriaReading(criteria(List.of(program("Tier 1", 660, 5_000L, 175L)), List.of("CA")),
                Map.of("programs[0].min_fico", FICO_LINE, "programs[0].min_amount", AMOUNT_LINE,
                        "programs[0].max_amount", AMOUNT_LINE), List.of());

        CriteriaReading reviewed = CriteriaValidator.review(read);

        Program kept = reviewed.criteria().programs().get(0);
        assertThat(kept.minAmount()).isNull();
        assertThat(kept.maxAmount()).isNull();
        assertThat(kept.minFico()).isEqualTo(660);
        assertThat(kept.maxTermMonths()).isEqualTo(60);
        assertThat(reviewed.criteria().excludedStates()).containsExactly("CA");
        assertThat(reviewed.warnings()).containsExactly("programs[0].max_amount (175) is less than min_amount (5000): "
                + "both dropped (page 1: \"Transaction size: minimum $5,000, maximum $175\")");
        assertThat(reviewed.evidence()).containsEntry("programs[0].min_fico", FICO_LINE)
                .doesNotContainKeys("programs[0].min_amount", "programs[0].max_amount");
    }

    @Test
    void reviewDropsAnImpossibleScoreAndAnUnknownStateEachWithItsOwnWarning() {
        Evidence states = Evidence.onPage(2, "Not available in: Oregon, Atlantis", "line 9");
        CriteriaReading read = new CriteriaReading(criteria(List.of(program("A", 900, null, null)),
                List.of("Oregon", "Atlantis")),
                Map.of("programs[0].min_fico", Evidence.onPage(1, "FICO 900+", "line 3"),
                        "excluded_states[0]", states, "excluded_states[1]", states), List.of("read with care"));

        CriteriaReading reviewed = CriteriaValidator.review(read);

        assertThat(reviewed.criteria().programs().get(0).minFico()).isNull();
        assertThat(reviewed.criteria().excludedStates()).containsExactly("OR");
        assertThat(reviewed.evidence()).as("evidence follows the state to its new place")
                .containsEntry("excluded_states[0]", states).doesNotContainKey("excluded_states[1]");
        assertThat(reviewed.warnings()).containsExactly("read with care",
                "programs[0].min_fico must be between 300 and 850, not 900: dropped (page 1: \"FICO 900+\")",
                "excluded_states[0] 'Atlantis' is not a US state code: dropped (page 2: \"Not available in: Oregon, "
                        + "Atlantis\")");
    }

    @Test
    void reviewNumbersProgramsOfTheSameNameWithAWarningInsteadOfFailing() {
        Evidence secondHeading = Evidence.onPage(2, "Tier 3", "line 1");
        CriteriaReading read = new CriteriaReading(criteria(List.of(program("Tier 3", 700, null, null),
                program("Tier 3", 640, null, null), program("Tier 3 (2)", 600, null, null)), null),
                Map.of("programs[1].name", secondHeading, "programs[1].min_fico", Evidence.onPage(2, "FICO 640", "line 2")),
                List.of());

        CriteriaReading reviewed = CriteriaValidator.review(read);

        assertThat(reviewed.criteria().programs()).extracting(Program::name)
                .containsExactly("Tier 3", "Tier 3 (3)", "Tier 3 (2)");
        assertThat(reviewed.criteria().programs().get(1).minFico()).isEqualTo(640);
        assertThat(reviewed.evidence()).containsEntry("programs[1].name", secondHeading);
        assertThat(reviewed.warnings()).containsExactly("programs[1].name 'Tier 3' is also the name of programs[0]: "
                + "renamed 'Tier 3 (3)'; name the section it belongs to (page 2: \"Tier 3\")");
        assertThat(CriteriaValidator.validate(reviewed.criteria())).isEmpty();
    }

    @Test
    void reviewOfNothingLeavesNoProgramToMatchAndOfLittleAsksForALook() {
        CriteriaReading nothing = CriteriaValidator.review(new CriteriaReading(new LenderCriteria(List.of(
                new Program("Standard", null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null)), null, null, null), Map.of(), List.of()));
        assertThat(nothing.criteria().programs()).as("an empty program would take every deal").isEmpty();
        assertThat(nothing.warnings()).singleElement().asString().startsWith("no credit criteria could be read");

        CriteriaReading little = CriteriaValidator.review(new CriteriaReading(new LenderCriteria(List.of(
                new Program("Standard", 650, 24, null, null, null, null, null, null, null, null, null, null, null,
                        List.of("Comparable credit required"))), List.of("cannabis"), null, null), Map.of(), List.of()));
        assertThat(little.criteria().programs().get(0).minFico()).isEqualTo(650);
        assertThat(little.warnings()).containsExactly("only 2 program values were read from the document: check it "
                + "for the criteria that were missed");

        CriteriaReading enough = CriteriaValidator.review(new CriteriaReading(criteria(List.of(program("A", 650,
                10_000L, 150_000L)), null), Map.of(), List.of()));
        assertThat(enough.warnings()).isEmpty();
    }

    @Test
    void normalisingKeepsEachValuesEvidenceAndConditionsTheirCase() {
        Evidence cannabis = Evidence.onPage(3, "Cannabis", "line 1");
        Evidence gambling = Evidence.onPage(3, "Gambling", "line 2");
        Program withConditions = new Program("A", 650, 24, null, 10_000L, 150_000L, 60, null, null, null, null, null,
                null, null, List.of(" 700 FICO  if no PayNet ", "700 FICO if no PayNet", " "));
        CriteriaReading read = new CriteriaReading(new LenderCriteria(List.of(withConditions),
                List.of(" Cannabis", "cannabis", "Gambling"), null, null),
                Map.of("excluded_industries[0]", cannabis, "excluded_industries[2]", gambling), List.of());

        CriteriaReading reviewed = CriteriaValidator.review(read);

        assertThat(reviewed.criteria().excludedIndustries()).containsExactly("cannabis", "gambling");
        assertThat(reviewed.evidence()).containsEntry("excluded_industries[0]", cannabis)
                .containsEntry("excluded_industries[1]", gambling);
        assertThat(reviewed.criteria().programs().get(0).conditions()).containsExactly("700 FICO if no PayNet");
        assertThat(reviewed.warnings()).isEmpty();
    }

    @Test
    void operatorCriteriaStillRefuseDuplicateNamesAndOverlongConditions() {
        Program longCondition = new Program("B", null, null, null, null, null, null, null, null, null, null, null, null,
                null, List.of("x".repeat(501)));
        assertThat(CriteriaValidator.validate(new LenderCriteria(List.of(longCondition), null, null, null)))
                .containsExactly("programs[0].conditions[0] is longer than 500 characters");
    }

    @Test
    void manualCriteriaHaveManualEvidenceForEveryValue() {
        CriteriaReading manual = CriteriaReading.manual(criteria(List.of(program("App only", 650, 10_000L, 150_000L)),
                List.of("CA")));
        assertThat(manual.evidence()).containsKeys("programs[0].name", "programs[0].min_fico", "excluded_industries[0]",
                "excluded_states[0]").allSatisfy((path, evidence) -> assertThat(evidence.manual()).isTrue());
        assertThat(manual.evidence()).hasSize(12);
        assertThat(manual.warnings()).isEmpty();
    }

    @Test
    void quotesAndWarningsAreCappedInSize() {
        Evidence long_ = Evidence.onPage(1, "Excluded: " + "pawn shops, ".repeat(200), "line 3");
        assertThat(long_.text()).hasSize(Evidence.QUOTE_LIMIT).endsWith("…");
        CriteriaReading read = new CriteriaReading(criteria(List.of(program("A", 650, 10_000L, 150_000L)), null),
                Map.of(), List.of("w".repeat(10_000)));
        assertThat(read.warnings().get(0)).hasSize(CriteriaReading.WARNING_LIMIT);
    }
}
