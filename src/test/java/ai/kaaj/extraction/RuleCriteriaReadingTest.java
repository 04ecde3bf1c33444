package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading rules of the rule extractor, each on lines made here as a page gives them. */
class RuleCriteriaReadingTest {

    private final RuleCriteriaExtractor rules = new RuleCriteriaExtractor();

    @Test
    void namesSetAsATableRowUnderAListOpenerAreItsItems() {
        LenderCriteria read = rules.extract("""
                Where we lend - only businesses headquartered in these states:
                PA | NJ | DE | MD
                Minimum FICO: 660
                """);

        assertThat(read.allowedStates()).containsExactly("PA", "NJ", "DE", "MD");
        assertThat(read.programs().get(0).minFico()).isEqualTo(660);
    }

    @Test
    void figuresInAnExclusionListAreIndustryCodesOnlyWhenTheyLookLikeCodes() {
        LenderCriteria read = rules.extract("""
                Not eligible
                Cannabis
                660 2 | $5,000 | $100,000 | 60
                Pawn shops
                Excluded SIC/NAICS: 7011, 713210
                """);

        assertThat(read.excludedIndustries()).contains("cannabis", "7011", "713210")
                .noneMatch(item -> item.matches("\\\\d{1,3}"));
    }
}
