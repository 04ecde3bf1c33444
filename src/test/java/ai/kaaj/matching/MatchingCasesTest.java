package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.MatchResult.Status;
import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written cases kept as test data (src/test/resources/matching/cases.json, snake_case, read with
 * Json.MAPPER): an application, a lender's criteria, and what a broker should see: status, program, score, and
 * the checks (exactly, in order, when "checks" is given; otherwise the outcomes and sentences listed).
 */
class MatchingCasesTest {

    /** The day every case is evaluated on unless it says otherwise. */
    static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    record Case(String name, LocalDate today, LoanApplication application, LenderCriteria criteria, Status status,
                String program, Integer score, String error, List<CriterionCheck> checks,
                Map<String, Outcome> outcomes, List<String> reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        try (InputStream in = MatchingCasesTest.class.getResourceAsStream("/matching/cases.json")) {
            return Json.MAPPER.readValue(in, new TypeReference<List<Case>>() {
            });
        }
    }

    @Test
    void thereAreEnoughDistinctCases() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
        assertThat(cases).extracting(Case::name).doesNotHaveDuplicates();
    }

    @Test
    void everyCriterionIsSeenPassingFailingAndUnknown() throws IOException {
        Set<String> seen = new HashSet<>();
        MatchingEngine engine = new MatchingEngine();
        for (Case c : cases()) {
            MatchResult result = engine.evaluate(c.application(), 1, "Lender", c.criteria(), today(c));
            result.criteria().forEach(check -> seen.add(check.criterion() + ":" + check.result()));
        }
        List<String> expected = new ArrayList<>();
        for (String criterion : CriterionNames.ALL) {
            for (Outcome outcome : Outcome.values()) {
                // a missing bankruptcy_discharged_years_ago means never bankrupt: that criterion is never unknown;
                // a condition is always to check (unknown)
                if (!(criterion.equals(CriterionNames.BANKRUPTCY_LOOKBACK_YEARS) && outcome == Outcome.unknown)
                        && !(criterion.equals(CriterionNames.CONDITION) && outcome != Outcome.unknown)) {
                    expected.add(criterion + ":" + outcome);
                }
            }
        }
        assertThat(seen).containsAll(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsABrokerExpects(Case c) {
        MatchResult result = new MatchingEngine().evaluate(c.application(), 1, "Lender", c.criteria(), today(c));

        assertThat(result.status()).as("status; checks %s", result.criteria()).isEqualTo(c.status());
        if (c.program() != null) {
            assertThat(result.program()).as("program").isEqualTo(c.program());
        }
        if (c.score() != null) {
            assertThat(result.score()).as("score; checks %s", result.criteria()).isEqualTo(c.score());
        }
        if (c.error() != null) {
            assertThat(result.error()).isEqualTo(c.error());
        }
        if (c.checks() != null) {
            assertThat(result.criteria()).containsExactlyElementsOf(c.checks());
        }
        if (c.outcomes() != null) {
            c.outcomes().forEach((criterion, outcome) -> assertThat(result.criteria())
                    .as("%s in %s", criterion, result.criteria())
                    .filteredOn(check -> check.criterion().equals(criterion))
                    .extracting(CriterionCheck::result)
                    .containsExactly(outcome));
        }
        if (c.reasons() != null) {
            assertThat(result.criteria()).extracting(CriterionCheck::reason).containsAll(c.reasons());
        }
        assertConsistent(result);
    }

    /** What holds for every result: known names in order, sentences, status agreeing with the checks, score range. */
    static void assertConsistent(MatchResult result) {
        if (result.status() == Status.error) {
            assertThat(result.error()).isNotBlank();
            assertThat(result.score()).isNull();
            return;
        }
        assertThat(result.error()).isNull();
        assertThat(result.criteria()).allSatisfy(check -> {
            assertThat(CriterionNames.ALL).contains(check.criterion());
            assertThat(check.reason()).isNotBlank();
            assertThat(Character.isUpperCase(check.reason().charAt(0))).as(check.reason()).isTrue();
        });
        List<Integer> positions = result.criteria().stream()
                .map(check -> CriterionNames.ALL.indexOf(check.criterion())).toList();
        assertThat(positions).as("checks in CriterionNames order").isSorted();
        assertThat(positions.stream().filter(p -> p != CriterionNames.ALL.indexOf(CriterionNames.CONDITION)).toList())
                .as("one check per criterion but conditions").doesNotHaveDuplicates();
        long failures = result.criteria().stream().filter(check -> check.result() == Outcome.fail).count();
        long unknowns = result.criteria().stream().filter(check -> check.result() == Outcome.unknown).count();
        long conditions = result.criteria().stream()
                .filter(check -> check.criterion().equals(CriterionNames.CONDITION)).count();
        Status expected = failures > 0 ? Status.ineligible : unknowns > 0 ? Status.conditional : Status.eligible;
        assertThat(result.status()).isEqualTo(expected);
        if (result.status() == Status.ineligible) {
            assertThat(result.score()).isZero();
        } else {
            assertThat(result.score()).isBetween(1, 100);
        }
        if (result.status() == Status.conditional) {
            assertThat(result.score()).isLessThanOrEqualTo(Math.max(1, 100
                    - MatchingEngine.UNKNOWN_PENALTY * (int) (unknowns - conditions)
                    - ProgramEvaluation.CONDITION_PENALTY * (int) conditions));
        }
    }

    private static LocalDate today(Case c) {
        return c.today() == null ? TODAY : c.today();
    }
}
