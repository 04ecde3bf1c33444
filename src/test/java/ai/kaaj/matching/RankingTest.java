package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.CriterionCheck.Outcome;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.MatchResult.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RankingTest {

    static MatchResult result(long id, String name, Status status, Integer score, int failures) {
        List<CriterionCheck> checks = new ArrayList<>();
        for (int i = 0; i < failures; i++) {
            checks.add(new CriterionCheck("c" + i, Outcome.fail, "fails"));
        }
        checks.add(new CriterionCheck("ok", Outcome.pass, "passes"));
        return new MatchResult(id, name, status, "P", score, null, checks, null);
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
    void tiesBreakByNameThenIdWhateverTheInputOrder() {
        List<MatchResult> results = new ArrayList<>(List.of(
                result(9, "beta leasing", Status.eligible, 80, 0),
                result(7, "Alpha Capital", Status.eligible, 80, 0),
                result(8, "Alpha Capital", Status.eligible, 80, 0)));
        List<String> first = Ranking.rank(results).stream().map(r -> r.lenderName() + "#" + r.lenderId()).toList();
        Collections.shuffle(results, new Random(42));
        List<String> second = Ranking.rank(results).stream().map(r -> r.lenderName() + "#" + r.lenderId()).toList();
        assertThat(first).containsExactly("Alpha Capital#7", "Alpha Capital#8", "beta leasing#9");
        assertThat(second).isEqualTo(first);
    }
}
