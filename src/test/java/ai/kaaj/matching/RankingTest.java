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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static ai.kaaj.matching.MatchingCasesTest.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

class RankingTest {

    static MatchResult result(long id, String name, Status status, Integer score, int failures) {
        List<CriterionCheck> checks = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            checks.add(new CriterionCheck("c" + i, Outcome.fail, "fails"));
        }
        checks.add(new CriterionCheck("ok", Outcome.pass, "passes"));
        return new MatchResult(id, name, status, "P", score, null, false, null, checks, status == Status.error ? "broken" : null);
    }

    private static List<String> order(List<MatchResult> ranked) {
        return ranked.stream().map(r -> r.lenderName() + "#" + r.lenderId()).toList();
    }

    @Test
    void eligibleThenConditionalThenIneligibleByFewestFailuresThenErrors() {
        List<MatchResult> results = List.of(
                result(1, "Zeta", Status.ineligible, 0, 3),
                result(2, "Alpha", Status.error, null, 0),
                result(3, "Beta", Status.conditional, 90, 0),
                result(4, "Gamma", Status.eligible, 60, 0),
                result(5, "Delta", Status.ineligible, 0, 1),
                result(6, "Epsilon", Status.eligible, 95, 0));
        List<MatchResult> ranked = Ranking.rank(results);
        assertThat(ranked).extracting(MatchResult::lenderName)
                .containsExactly("Epsilon", "Gamma", "Beta", "Delta", "Zeta", "Alpha");
        assertThat(ranked).extracting(MatchResult::rank).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aConditionalWithAHigherScoreStillRanksBelowAnyEligible() {
        List<MatchResult> ranked = Ranking.rank(List.of(
                result(1, "Conditional", Status.conditional, 99, 0),
                result(2, "Eligible", Status.eligible, 40, 0)));
        assertThat(ranked).extracting(MatchResult::lenderName).containsExactly("Eligible", "Conditional");
    }

    @Test
    void ineligibleOrderIgnoresScoreAndCountsFailures() {
        List<MatchResult> ranked = Ranking.rank(List.of(
                result(1, "A two failures", Status.ineligible, 5, 2),
                result(2, "B one failure", Status.ineligible, 0, 1)));
        assertThat(ranked).extracting(MatchResult::lenderName).containsExactly("B one failure", "A two failures");
    }

    @Test
    void tiesBreakByNameIgnoringCaseThenIdWhateverTheInputOrder() {
        List<MatchResult> results = new ArrayList<>(List.of(
                result(9, "beta leasing", Status.eligible, 80, 0),
                result(8, "Alpha Capital", Status.eligible, 80, 0),
                result(7, "alpha capital", Status.eligible, 80, 0),
                result(3, "Delta", Status.ineligible, 0, 2),
                result(2, "charlie", Status.ineligible, 0, 2),
                result(5, "Echo", Status.error, null, 0),
                result(4, "echo", Status.error, null, 0)));
        List<String> expected = List.of("alpha capital#7", "Alpha Capital#8", "beta leasing#9", "charlie#2",
                "Delta#3", "echo#4", "Echo#5");
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(results, random);
            assertThat(order(Ranking.rank(results))).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void missingScoresNamesAndStatusesDoNotBreakTheOrder() {
        List<MatchResult> ranked = Ranking.rank(List.of(
                new MatchResult(1, null, Status.eligible, "P", null, null, false, null, List.of(), null),
                new MatchResult(2, "Named", Status.eligible, "P", 10, null, false, null, List.of(), null),
                new MatchResult(3, "No status", null, null, null, null, false, null, null, "unknown"),
                new MatchResult(4, "No checks", Status.ineligible, "P", 0, null, false, null, null, null),
                new MatchResult(5, "One failure", Status.ineligible, "P", 0, null, false, null,
                        List.of(new CriterionCheck("min_fico", Outcome.fail, "FICO 1 is below the minimum of 2")),
                        null)));
        assertThat(ranked).extracting(MatchResult::lenderId).containsExactly(2L, 1L, 5L, 4L, 3L);
    }

    @Test
    void rankingIsPureAndRanksAreOneToN() {
        List<MatchResult> input = List.of(result(2, "B", Status.eligible, 50, 0), result(1, "A", Status.eligible, 70, 0));
        List<MatchResult> ranked = Ranking.rank(input);
        assertThat(input).extracting(MatchResult::rank).containsOnlyNulls();
        assertThat(input).extracting(MatchResult::lenderName).containsExactly("B", "A");
        assertThat(ranked).extracting(MatchResult::rank).containsExactly(1, 2);
        assertThat(ranked.get(0)).usingRecursiveComparison().ignoringFields("rank").isEqualTo(input.get(1));
        assertThat(Ranking.rank(List.of())).isEmpty();
    }

    @Test
    void theComparatorAgreesWithRank() {
        List<MatchResult> results = new ArrayList<>(List.of(
                result(1, "Zeta", Status.ineligible, 0, 3), result(2, "Alpha", Status.error, null, 0),
                result(3, "Beta", Status.conditional, 90, 0), result(4, "Gamma", Status.eligible, 60, 0)));
        results.sort(Ranking.ORDER);
        assertThat(order(results)).containsExactlyElementsOf(order(Ranking.rank(results)));
    }

    // Scenarios from src/test/resources/matching/rankings.json: lenders evaluated by the engine, then ranked.

    record Lender(long id, String name, LenderCriteria criteria) {
    }

    record Expected(long lenderId, String lenderName, Status status, String program, Integer score) {
    }

    record Scenario(String name, LoanApplication application, List<Lender> lenders, List<Expected> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Scenario> scenarios() throws IOException {
        try (InputStream in = RankingTest.class.getResourceAsStream("/matching/rankings.json")) {
            return Json.MAPPER.readValue(in, new TypeReference<List<Scenario>>() {
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void enginePlusRankingGiveTheExpectedOrderForAnyInputOrder(Scenario scenario) {
        MatchingEngine engine = new MatchingEngine();
        List<Lender> lenders = new ArrayList<>(scenario.lenders());
        Random random = new Random(7);
        for (int round = 0; round < 10; round++) {
            List<MatchResult> results = new ArrayList<>();
            for (Lender lender : lenders) {
                results.add(engine.evaluate(scenario.application(), lender.id(), lender.name(), lender.criteria(),
                        TODAY));
            }
            List<MatchResult> ranked = Ranking.rank(results);
            assertThat(ranked).hasSameSizeAs(scenario.expected());
            for (int i = 0; i < ranked.size(); i++) {
                MatchResult actual = ranked.get(i);
                Expected expected = scenario.expected().get(i);
                assertThat(actual.rank()).isEqualTo(i + 1);
                assertThat(actual.lenderId()).as("lender at rank %d: %s", i + 1, ranked).isEqualTo(expected.lenderId());
                assertThat(actual.lenderName()).isEqualTo(expected.lenderName());
                assertThat(actual.status()).as("%s", actual).isEqualTo(expected.status());
                assertThat(actual.score()).as("%s", actual).isEqualTo(expected.score());
                if (expected.program() != null) {
                    assertThat(actual.program()).isEqualTo(expected.program());
                }
            }
            Collections.shuffle(lenders, random);
        }
    }
}
