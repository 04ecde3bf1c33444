package ai.kaaj.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CriteriaReadingTest {

    private static Program program(String name, Integer minFico, List<String> conditions) {
        return new Program(name, minFico, null, null, null, null, null, null, null, null, null, null, null, null,
                conditions);
    }

    @Test
    void aCorrectionKeepsTheEvidenceOfValuesLeftAsReadWhereverTheyMoved() {
        Evidence tierA = Evidence.onPage(1, "Tier A: 700+ FICO", "line 3");
        Evidence tierB = Evidence.onPage(1, "Tier B: 660+ FICO", "line 6");
        Evidence call = Evidence.onPage(1, "Call for deals over $250,000", "line 7");
        Evidence excluded = Evidence.onPage(2, "Not eligible: cannabis, gambling", "line 1");
        CriteriaReading read = new CriteriaReading(new LenderCriteria(List.of(
                program("Tier A", 700, null), program("Tier B", 660, List.of("Call for deals over $250,000"))),
                List.of("cannabis", "gambling"), null, null),
                Map.of("programs[0].name", tierA, "programs[0].min_fico", tierA, "programs[1].name", tierB,
                        "programs[1].min_fico", tierB, "programs[1].conditions[0]", call,
                        "excluded_industries[0]", excluded, "excluded_industries[1]", excluded),
                List.of("a warning"));

        // Programs swapped, Tier A's score changed, a condition and an industry added ahead of the others.
        CriteriaReading corrected = CriteriaReading.corrected(new LenderCriteria(List.of(
                program("tier b", 660, List.of("Comparable credit", "Call for deals over $250,000")),
                program("Tier A", 720, null)), List.of("firearms", "gambling", "cannabis"), null, null), read);

        assertThat(corrected.evidence()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "programs[0].name", Evidence.ENTERED_BY_HAND,
                "programs[0].min_fico", tierB,
                "programs[0].conditions[0]", Evidence.ENTERED_BY_HAND,
                "programs[0].conditions[1]", call,
                "programs[1].name", tierA,
                "programs[1].min_fico", Evidence.ENTERED_BY_HAND,
                "excluded_industries[0]", Evidence.ENTERED_BY_HAND,
                "excluded_industries[1]", excluded,
                "excluded_industries[2]", excluded));
        assertThat(corrected.warnings()).isEmpty();
    }
}
