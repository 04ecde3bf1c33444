package ai.kaaj.extraction;

import ai.kaaj.documents.PageLayout;
import ai.kaaj.documents.PageText;
import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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
    void aTierNamedWithAFootnoteMarkIsNamedWithoutIt() {
        LenderCriteria read = rules.read(page(
                "# Tier A",
                "Minimum FICO: 700",
                "# Tier C†",
                "Minimum FICO: 640",
                "† Tier C: terms up to 48 months.")).criteria();

        assertThat(read.programs()).extracting(program -> program.name()).containsExactly("Tier A", "Tier C");
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

    /** Lines as a laid-out page gives them: each with its page, and whether the page set it as a heading. */
    private static List<GuidelineLine> page(String... lines) {
        List<GuidelineLine> out = new ArrayList<>();
        for (String line : lines) {
            boolean heading = line.startsWith("# ");
            out.add(new GuidelineLine(1, heading ? line.substring(2) : line, heading, new double[] {54, 0, 500, 12}));
        }
        return out;
    }

    @Test
    void aNumberedSectionHeadingOverATableOfTiersIsTheSectionOfItsTiers() {
        LenderCriteria read = rules.read(page(
                "# Equipment finance for established businesses, titled units and start-ups",
                "# 1 · Core Equipment",
                "Tier 1 | Tier 2",
                "FICO | 720+ | 680+",
                "Time in business | 5 years | 3 years",
                "Core Equipment: used equipment up to 12 years old at funding.",
                "# 2 · Titled Units",
                "Tier 1 | Tier 2",
                "FICO | 700+ | 670+",
                "Unit age at funding | 8 years or newer | 6 years or newer",
                "# 3 · Start-Up",
                "# Start-Up Program",
                "Guarantor FICO of 720 or more, up to $60,000.")).criteria();

        assertThat(read.programs()).extracting(Program::name).containsExactly("Core Equipment – Tier 1",
                "Core Equipment – Tier 2", "Titled Units – Tier 1", "Titled Units – Tier 2", "Start-Up");
        assertThat(read.programs()).extracting(Program::maxEquipmentAgeYears).containsExactly(12, 12, 8, 6, null);
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(720, 680, 700, 670, 720);
        assertThat(read.programs()).as("the cover's description is no start-up program")
                .allMatch(program -> program.startupsAllowed() == null || program.name().equals("Start-Up"));
    }

    @Test
    void aListOfNamesUnderAnExclusionTitleIsOfExcludedIndustries() {
        LenderCriteria read = rules.read(page(
                "# Tier A",
                "Minimum FICO: 700",
                "# Exclusions",
                "Cannabis · Adult entertainment · Gambling; long-haul trucking (titled product only accepts local and"
                        + " regional haulers). Not available in Oregon.",
                "# Who we cannot help",
                "We still do not finance casinos or firearms businesses, and our licensing does not allow us to lend"
                        + " in Vermont or Nevada.",
                "# Funding",
                "Same day, ACH, wire")).criteria();

        assertThat(read.excludedIndustries()).containsExactly("cannabis", "adult entertainment", "gambling",
                "long-haul trucking", "casinos", "firearms");
        assertThat(read.excludedStates()).contains("OR", "VT", "NV");
    }

    @Test
    void checkMarksAndCrossesInAProgramMatrixSayYesAndNo() {
        LenderCriteria read = rules.extract("""
                Criteria | Essentials | Growth | Fresh Start
                Guarantor FICO | 650+ | 690+ | 700+
                Titled equipment | ✓ | ✓ | ✗
                Start-ups | ✗ | ✗ | ✓
                """);

        assertThat(read.programs()).extracting(Program::startupsAllowed).containsExactly(false, false, true);
        assertThat(read.programs()).extracting(Program::excludedEquipmentTypes)
                .containsExactly(null, null, List.of("titled"));
    }

    @Test
    void crossedCodesInAGridOfStatesAreNotServed() {
        LenderCriteria read = rules.extract("""
                Where we lend. Shaded states are not available:
                AL | AK ✗ | AZ | AR | CA ✗ | CO
                HI ✗ | ID | IL | IN | IA | KS
                Minimum FICO 660
                """);

        assertThat(read.excludedStates()).containsExactly("AK", "CA", "HI");
        assertThat(read.allowedStates()).isNull();
    }

    @Test
    void theLendersNameHeadingEveryPageIsNotAPartOfItsOwn() {
        List<GuidelineLine> lines = GuidelineLine.ofPages(List.of(
                page(1, block(1, PageLayout.Kind.HEADING, 40, "ATLAS FLEET CAPITAL"),
                        block(1, PageLayout.Kind.PARAGRAPH, 80, "Minimum FICO 680"),
                        block(1, PageLayout.Kind.PARAGRAPH, 100, "Terms up to 60 months")),
                page(2, block(2, PageLayout.Kind.HEADING, 40, "ATLAS FLEET CAPITAL"),
                        block(2, PageLayout.Kind.PARAGRAPH, 80, "Eligible Equipment"),
                        block(2, PageLayout.Kind.BULLET, 100, "• Dump trucks, box trucks, tow trucks"),
                        block(2, PageLayout.Kind.PARAGRAPH, 120, "Other Requirements"),
                        block(2, PageLayout.Kind.BULLET, 140, "• No bankruptcies in the last 10 years"))));

        assertThat(lines).extracting(GuidelineLine::text).containsOnlyOnce("ATLAS FLEET CAPITAL");
        List<Program> programs = rules.read(lines).criteria().programs();
        assertThat(programs).hasSize(1);
        assertThat(programs.get(0).minFico()).isEqualTo(680);
        assertThat(programs.get(0).bankruptcyLookbackYears()).isEqualTo(10);
    }

    private static PageText page(int number, PageLayout.Block... blocks) {
        return new PageText(number, "text", "", new PageLayout(number, 612, 792, 10, List.of(blocks)));
    }

    private static PageLayout.Block block(int page, PageLayout.Kind kind, float top, String text) {
        PageLayout.Box box = new PageLayout.Box(54, top, 400, top + 12);
        return new PageLayout.Block(page, kind, 0, 0, box, kind == PageLayout.Kind.HEADING ? 16 : 10,
                kind == PageLayout.Kind.HEADING, List.of(new PageLayout.Line(box, text)), List.of());
    }

    @Test
    void aParagraphLineEndingAtLeastGoesOnOnTheNextAndRequestsStartAtAMinimum() {
        PageLayout.Box wide = new PageLayout.Box(54, 100, 554, 112);
        PageLayout.Block paragraph = new PageLayout.Block(1, PageLayout.Kind.PARAGRAPH, 0, 0,
                new PageLayout.Box(54, 100, 554, 140), 10, false, List.of(
                        new PageLayout.Line(wide, "Premier requests start at $100,001. The company must show annual revenue of at least"),
                        new PageLayout.Line(new PageLayout.Box(54, 114, 300, 126), "$1,000,000 on its most recent tax return.")),
                List.of());
        List<GuidelineLine> lines = GuidelineLine.ofPages(List.of(new PageText(1, "text", "",
                new PageLayout(1, 612, 792, 10, List.of(paragraph)))));

        assertThat(lines).extracting(GuidelineLine::text).containsExactly("Premier requests start at $100,001. The company"
                + " must show annual revenue of at least $1,000,000 on its most recent tax return.");
        Program read = rules.read(lines).criteria().programs().get(0);
        assertThat(read.minAnnualRevenue()).isEqualTo(1_000_000L);
        assertThat(read.minAmount()).isEqualTo(100_001L);
    }
}
