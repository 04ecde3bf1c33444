package ai.kaaj.matching;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.LoanApplication;
import ai.kaaj.domain.MatchResult;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Test;

import java.util.List;

import static ai.kaaj.matching.MatchingCasesTest.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

class MatchingEngineTest {

    private final MatchingEngine engine = new MatchingEngine();

    static LoanApplication app(Integer fico, Integer tib, Long amount) {
        return new LoanApplication("Biz", "TX", null, null, tib, null, null, amount, null, null, null, null, fico,
                null, null, null);
    }

    static LenderCriteria criteria(Program... programs) {
        return new LenderCriteria(List.of(programs), null, null, null);
    }

    static Program program(Integer minFico, Integer minTib, Long maxAmount) {
        return new Program("P", minFico, minTib, null, null, maxAmount, null, null, null, null, null, null, null, null);
    }

    @Test
    void headroomRaisesTheScore() {
        LenderCriteria criteria = criteria(program(650, 24, 250_000L));
        int scrapesBy = engine.evaluate(app(652, 25, 245_000L), 1, "L", criteria, TODAY).score();
        int comfortable = engine.evaluate(app(760, 96, 40_000L), 1, "L", criteria, TODAY).score();
        assertThat(comfortable).isGreaterThan(scrapesBy);
        assertThat(comfortable).isEqualTo(100);
    }

    @Test
    void eachUnknownCostsMoreThanLostHeadroom() {
        LenderCriteria criteria = criteria(program(650, 24, 250_000L));
        MatchResult barely = engine.evaluate(app(652, 25, 245_000L), 1, "L", criteria, TODAY);
        MatchResult unknownFico = engine.evaluate(app(null, 96, 40_000L), 1, "L", criteria, TODAY);
        assertThat(unknownFico.status()).isEqualTo(MatchResult.Status.conditional);
        assertThat(barely.status()).isEqualTo(MatchResult.Status.eligible);
        assertThat(unknownFico.score()).isLessThan(100 - MatchingEngine.UNKNOWN_PENALTY + 1);
    }

    @Test
    void aLenderWithoutCriteriaIsAnErrorResult() {
        MatchResult result = engine.evaluate(app(700, 30, 1000L), 3, "Empty", new LenderCriteria(List.of(), null,
                null, null), TODAY);
        assertThat(result.status()).isEqualTo(MatchResult.Status.error);
        assertThat(result.error()).contains("no criteria");
    }

    @Test
    void onlyCriteriaTheProgramSetsAreChecked() {
        MatchResult result = engine.evaluate(app(700, null, null), 1, "L", criteria(program(650, null, null)), TODAY);
        assertThat(result.criteria()).extracting(c -> c.criterion()).containsExactly("min_fico");
    }

    @Test
    void moneyIsWrittenAsBrokersReadIt() {
        assertThat(MatchingEngine.money(0)).isEqualTo("$0");
        assertThat(MatchingEngine.money(999)).isEqualTo("$999");
        assertThat(MatchingEngine.money(1000)).isEqualTo("$1,000");
        assertThat(MatchingEngine.money(1_250_000)).isEqualTo("$1,250,000");
        assertThat(MatchingEngine.money(150_001)).isEqualTo("$150,001");
    }

    @Test
    void phrasesMatchWholeWordsNotSubstrings() {
        assertThat(Phrases.isIndustry("long-haul trucking", "trucking")).isTrue();
        assertThat(Phrases.isIndustry("truck parts retail", "trucking")).isFalse();
        assertThat(Phrases.isIndustry("restaurant supply", "restaurant")).isFalse();
        assertThat(Phrases.isIndustry("restaurants", "restaurant")).isTrue();
        assertThat(Phrases.isIndustry("adult entertainment venue", "adult entertainment")).isTrue();
        assertThat(Phrases.isIndustry("gaming software", "gaming")).isFalse();
        assertThat(Phrases.isIndustry("cannabis dispensary", "cannabis")).isTrue();
        assertThat(Phrases.isIndustry("scannabis", "cannabis")).isFalse();
    }
}
