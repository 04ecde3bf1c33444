package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The criteria schema's rules: every problem named by its field path, and the canonical form of lists. */
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
}
