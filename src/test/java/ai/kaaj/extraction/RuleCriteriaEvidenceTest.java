package ai.kaaj.extraction;

import ai.kaaj.domain.CriteriaReading;
import ai.kaaj.domain.Evidence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule extractor's evidence: every value it reads names the page and the line it read it from. */
class RuleCriteriaEvidenceTest {

    private final RuleCriteriaExtractor rules = new RuleCriteriaExtractor();

    @Test
    void eachValueNamesItsPageAndLineAndAValueForAllProgramsNamesTheSharedLine() {
        CriteriaReading read = rules.read("""
                Summit Capital - Credit Guidelines
                All programs: maximum term 60 months

                Tier A
                Minimum FICO: 700
                Tier B
                Minimum FICO: 650
                \fRestricted industries: cannabis, gambling
                Not available in: California
                """);

        assertThat(read.criteria().programs()).hasSize(2);
        assertThat(read.evidence()).containsEntry("programs[0].name", Evidence.onPage(1, "Tier A", "line 4"))
                .containsEntry("programs[1].min_fico", Evidence.onPage(1, "Minimum FICO: 650", "line 7"))
                .containsEntry("programs[0].max_term_months",
                        Evidence.onPage(1, "All programs: maximum term 60 months", "line 2"))
                .containsEntry("programs[1].max_term_months",
                        Evidence.onPage(1, "All programs: maximum term 60 months", "line 2"))
                .containsEntry("excluded_industries[1]",
                        Evidence.onPage(2, "Restricted industries: cannabis, gambling", "line 1"))
                .containsEntry("excluded_states[0]", Evidence.onPage(2, "Not available in: California", "line 2"));
        assertThat(read.evidence().keySet()).as("every value has evidence")
                .containsAll(CriteriaReading.values(read.criteria()).keySet());
    }

    @Test
    void aTableCellNamesItsRowAndColumn() {
        CriteriaReading read = rules.read("""
                Criteria | App Only | Full Financials
                Minimum FICO | 650 | 680
                Maximum amount | $150,000 | $1,000,000
                """);

        assertThat(read.criteria().programs()).hasSize(2);
        assertThat(read.evidence().get("programs[1].min_fico"))
                .isEqualTo(Evidence.onPage(1, "Minimum FICO | 650 | 680", "line 2, column 'Full Financials'"));
        assertThat(read.evidence().get("programs[0].max_amount").locator()).isEqualTo("line 3, column 'App Only'");
    }
}
