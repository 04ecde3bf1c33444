package ai.kaaj.matching;

import ai.kaaj.domain.CriterionCheck;
import ai.kaaj.domain.Json;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-written cases (src/test/resources/matching/cases.json): an application, a lender's criteria,
 * and the status, program, per-criterion outcomes and sentences a broker should see.
 */
class MatchingCasesTest {

    static final LocalDate TODAY = LocalDate.of(2026, 6, 1);

    @JsonIgnoreProperties(ignoreUnknown = false)
    record Case(String name, LoanApplication application, LenderCriteria criteria, MatchResult.Status status,
                String program, Map<String, CriterionCheck.Outcome> outcomes, List<String> reasons) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws Exception {
        try (InputStream in = MatchingCasesTest.class.getResourceAsStream("/matching/cases.json")) {
            List<Case> cases = Json.MAPPER.readValue(in, new TypeReference<>() {
            });
            assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesAsABrokerExpects(Case c) {
        MatchResult result = new MatchingEngine().evaluate(c.application(), 1, "Lender", c.criteria(), TODAY);

        assertThat(result.status()).as("status; checks %s", result.criteria()).isEqualTo(c.status());
        if (c.program() != null) {
            assertThat(result.program()).isEqualTo(c.program());
        }
        if (c.outcomes() != null) {
            c.outcomes().forEach((criterion, outcome) -> assertThat(result.criteria())
                    .as("%s in %s", criterion, result.criteria())
                    .anySatisfy(check -> {
                        assertThat(check.criterion()).isEqualTo(criterion);
                        assertThat(check.result()).isEqualTo(outcome);
                    }));
        }
        if (c.reasons() != null) {
            assertThat(result.criteria()).extracting(CriterionCheck::reason).containsAll(c.reasons());
        }
        if (result.status() == MatchResult.Status.ineligible) {
            assertThat(result.score()).isZero();
        } else {
            assertThat(result.score()).isBetween(1, 100);
        }
    }
}
