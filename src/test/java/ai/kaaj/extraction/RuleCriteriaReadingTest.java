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
    void theLendersOwnHistoryIsNotATimeInBusinessRequirement() {
        for (String history : List.of("Founded 1995 - 29 years in business",
                "Established in 2001, over 20 years in equipment finance", "We've been in business for 30 years",
                "Our customers average 12 years in business")) {
            LenderCriteria read = rules.extract("Minimum FICO: 680\n" + history + "\n");

            assertThat(read.programs().get(0).minTimeInBusinessMonths()).as(history).isNull();
        }
        assertThat(rules.extract("Minimum FICO: 680\nEstablished businesses: 2 years in business\n").programs().get(0)
                .minTimeInBusinessMonths()).isEqualTo(24);
    }

    @Test
    void anAmountThatIsRefusedFeesOrConditionsIsNoLimitOfTheDeal() {
        Program refused = rules.extract("Minimum FICO: 680\nDeals under $5,000 are not accepted.\n"
                + "Transactions over $500,000 are not eligible.\n").programs().get(0);
        assertThat(refused.minAmount()).isEqualTo(5_000L);
        assertThat(refused.maxAmount()).isEqualTo(500_000L);

        Program notLimits = rules.extract("Minimum FICO: 680\nProcessing fee $250 for deals under $25,000\n"
                + "Deals over $250,000 require two years of tax returns.\n").programs().get(0);
        assertThat(notLimits.minAmount()).isNull();
        assertThat(notLimits.maxAmount()).isNull();
    }

    @Test
    void aScoresScaleIsNotAMinimumAndAnImpossibleScoreIsDroppedWithAWarning() {
        assertThat(rules.extract("Credit score range 300-850\nMinimum FICO: 680\n").programs().get(0).minFico())
                .isEqualTo(680);

        var reviewed = CriteriaValidator.review(rules.read("Minimum FICO: 950\nTerms up to 60 months\n"));
        assertThat(reviewed.criteria().programs().get(0).minFico()).isNull();
        assertThat(reviewed.warnings()).anySatisfy(warning -> assertThat(warning).contains("min_fico", "950"));
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

    @Test
    void numberedPolicyProseStatesItsCriteriaInWordsAndFigures() {
        LenderCriteria read = rules.read(page(
                "# 3. Eligibility",
                "3.1 Location. The Company lends only to Borrowers whose principal office is in Utah or Colorado.",
                "3.2 History. The Borrower shall have operated its business for at least eighteen (18) months.",
                "3.3 Size. Each loan shall be not less than twenty thousand dollars ($20,000) and not more than two"
                        + " hundred thousand dollars ($200,000).",
                "3.4 Term. The term of a loan shall not exceed eighty-four (84) months.",
                "3.5 Equity. The Borrower shall contribute at least fifteen percent (15%) of the purchase price.")).criteria();

        Program program = read.programs().get(0);
        assertThat(read.allowedStates()).containsExactlyInAnyOrder("UT", "CO");
        assertThat(program.minTimeInBusinessMonths()).isEqualTo(18);
        assertThat(program.minAmount()).isEqualTo(20_000L);
        assertThat(program.maxAmount()).isEqualTo(200_000L);
        assertThat(program.maxTermMonths()).isEqualTo(84);
        assertThat(program.minDownPaymentPct()).isEqualTo(15.0);
    }

    @Test
    void timeUnderCurrentOwnershipIsTimeInBusiness() {
        Program read = rules.extract("The business must be at least 3 years under its current ownership.").programs().get(0);

        assertThat(read.minTimeInBusinessMonths()).isEqualTo(36);
    }

    /** A block of a laid-out page, its lines each given as [x0, y0, x1, y1] and text. */
    private static PageLayout.Block block(PageLayout.Kind kind, Object... boxesAndTexts) {
        List<PageLayout.Line> lines = new ArrayList<>();
        float x0 = Float.MAX_VALUE, y0 = Float.MAX_VALUE, x1 = 0, y1 = 0;
        for (int i = 0; i < boxesAndTexts.length; i += 2) {
            float[] b = (float[]) boxesAndTexts[i];
            lines.add(new PageLayout.Line(new PageLayout.Box(b[0], b[1], b[2], b[3]), (String) boxesAndTexts[i + 1]));
            x0 = Math.min(x0, b[0]);
            y0 = Math.min(y0, b[1]);
            x1 = Math.max(x1, b[2]);
            y1 = Math.max(y1, b[3]);
        }
        return new PageLayout.Block(1, kind, 0, 0, new PageLayout.Box(x0, y0, x1, y1), 10, false, lines, List.of());
    }

    private static List<GuidelineLine> laidOut(PageLayout.Block... blocks) {
        return GuidelineLine.ofPages(List.of(new PageText(1, "text", "", new PageLayout(1, 612, 792, 10, List.of(blocks)))));
    }

    @Test
    void aSentenceTheLayoutSetInTwoBlocksIsReadWhole() {
        List<GuidelineLine> lines = laidOut(
                block(PageLayout.Kind.BULLET, new float[] {54, 100, 554, 112},
                        "4.2 History. The Applicant shall have been in business for at least three years under its"),
                block(PageLayout.Kind.PARAGRAPH, new float[] {54, 113, 250, 125}, "current ownership."),
                block(PageLayout.Kind.PARAGRAPH, new float[] {54, 140, 250, 152}, "Used equipment is welcome when no more than 10"),
                block(PageLayout.Kind.PARAGRAPH, new float[] {300, 140, 500, 152}, "years old on the day we fund."),
                block(PageLayout.Kind.PARAGRAPH, new float[] {54, 170, 554, 182}, "Territory. We finance businesses in every state except Louisiana, North",
                        new float[] {54, 183, 200, 195}, "Dakota and Rhode Island."));

        assertThat(lines).extracting(GuidelineLine::text).containsExactly(
                "4.2 History. The Applicant shall have been in business for at least three years under its current ownership.",
                "Used equipment is welcome when no more than 10 years old on the day we fund.",
                "Territory. We finance businesses in every state except Louisiana, North Dakota and Rhode Island.");
        LenderCriteria read = rules.read(lines).criteria();
        assertThat(read.programs().get(0).minTimeInBusinessMonths()).isEqualTo(36);
        assertThat(read.programs().get(0).maxEquipmentAgeYears()).isEqualTo(10);
        assertThat(read.excludedStates()).containsExactlyInAnyOrder("LA", "ND", "RI");
    }

    @Test
    void aGuideWithApplicationOnlyAndFullFinancialsProductsAndPoliciesForBoth() {
        LenderCriteria read = rules.read(page(
                "# SWIFT - APPLICATION ONLY",
                "Transaction size | $10,000 to $100,000",
                "Guarantor credit | FICO of 660 or better",
                "# CORE - FULL FINANCIALS",
                "Transaction size | $100,001 to $750,000",
                "Guarantor credit | FICO of 690 or better",
                "Annual sales | $1,000,000 or more",
                "# POLICIES FOR BOTH PROGRAMS",
                "Start-ups. Neither program is open to start-up businesses.",
                "Bankruptcy. No bankruptcy discharged in the last five years.",
                "# INDUSTRIES WE DO NOT FINANCE",
                "Cannabis",
                "Check cashing",
                "# FUNDING",
                "We pay vendors by ACH.")).criteria();

        assertThat(read.programs()).extracting(Program::minFico).containsExactly(660, 690);
        assertThat(read.programs()).extracting(Program::minAnnualRevenue).containsExactly(null, 1_000_000L);
        assertThat(read.programs()).extracting(Program::startupsAllowed).containsExactly(false, false);
        assertThat(read.programs()).extracting(Program::bankruptcyLookbackYears).containsExactly(5, 5);
        assertThat(read.excludedIndustries()).containsExactly("cannabis", "check cashing");
    }

    @Test
    void creditLinesOrdersRepaymentAndEstimatedTerms() {
        LenderCriteria read = rules.read(page(
                "# Cash Advance",
                "Amount | $5,000 - $250,000",
                "Credit score | 550+",
                "Est. term | up to 12 months",
                "# Line of Credit",
                "Limit | $10,000 - $150,000",
                "Credit score | 600+",
                "Each draw | repaid over up to 18 months",
                "# Vendor Program",
                "Businesses are welcome on orders of $2,500 to $50,000.",
                "Credit score | 680+",
                "Repayment | 12 to 60 months",
                "# Restricted",
                "We cannot fund these businesses: firearms, gambling.")).criteria();

        assertThat(read.programs()).extracting(Program::maxTermMonths).containsExactly(null, 18, 60);
        assertThat(read.programs()).extracting(Program::minAmount).containsExactly(5_000L, 10_000L, 2_500L);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(250_000L, 150_000L, 50_000L);
        assertThat(read.excludedIndustries()).containsExactly("firearms", "gambling");
    }

    @Test
    void statesNoLongerAcceptedOrThatRemainExcluded() {
        LenderCriteria read = rules.extract("""
                We will no longer accept applications from businesses located in Nevada. California remains excluded.
                Arizona businesses are not eligible.
                Minimum FICO 660
                """);

        assertThat(read.excludedStates()).containsExactly("NV", "CA", "AZ");
        assertThat(read.allowedStates()).isNull();
    }

    @Test
    void anFaqsQuestionsAreNoProgramsAndTheirAnswersAreReadWithThem() {
        LenderCriteria read = rules.read(page(
                "# Working Capital Loan",
                "Credit score | 650+",
                "\u201cThey funded $80,000 in two days and we were in business 3 years.\u201d \u2014 Owner, Reno bakery",
                "# Equipment Loan",
                "Credit score | 625+",
                "Time in business | 1 year",
                "# Partner questions",
                "# Q. Can start-ups apply?",
                "A. Not at this time.",
                "# Which businesses can't apply?",
                "Nonprofits, gambling and cryptocurrency businesses.",
                "# Where do you lend?",
                "Everywhere in the US except Hawaii and Alaska.")).criteria();

        assertThat(read.programs()).extracting(Program::name).containsExactly("Working Capital Loan", "Equipment Loan");
        assertThat(read.programs()).extracting(Program::startupsAllowed).containsExactly(false, false);
        assertThat(read.programs()).as("a customer's story states no rule")
                .extracting(Program::minTimeInBusinessMonths).containsExactly(null, 12);
        assertThat(read.excludedIndustries()).containsExactly("nonprofits", "gambling", "cryptocurrency");
        assertThat(read.excludedStates()).containsExactlyInAnyOrder("HI", "AK");
    }

    @Test
    void aYesToTheStartUpQuestionAllowsThem() {
        LenderCriteria read = rules.read(page("Minimum FICO 700", "# Do you fund start-ups?", "Yes, with 20% down."))
                .criteria();

        assertThat(read.programs().get(0).startupsAllowed()).isTrue();
    }

    @Test
    void aNoteThatARuleBindsAllProgramsAndNamesJoiningTheExclusions() {
        LenderCriteria read = rules.read(page(
                "# Level 1",
                "Owner FICO 650 or higher",
                "# Start-up option",
                "Owner FICO 700 or higher and 20% down.",
                "# Not eligible",
                "Businesses with a bankruptcy in the last 5 years (all levels and start-ups).",
                "# Changes",
                "4. Vape shops join the list of industries we do not finance.",
                "We don't do start-ups in trucking.")).criteria();

        assertThat(read.programs()).extracting(Program::bankruptcyLookbackYears).containsExactly(5, 5);
        assertThat(read.excludedIndustries()).containsExactly("vape shops");
    }

    @Test
    void weDontDoStartUps() {
        assertThat(rules.extract("We don't do start-ups.").programs().get(0).startupsAllowed()).isFalse();
    }

    private static GuidelineLine at(double x0, double y0, double x1, String text) {
        boolean heading = text.startsWith("# ");
        return new GuidelineLine(1, heading ? text.substring(2) : text, heading, new double[] {x0, y0, x1, y0 + 12});
    }

    @Test
    void levelsSetSideBySideAreReadWithTheColumnsUnderThemWhereverThePageListsThem() {
        LenderCriteria read = rules.read(List.of(
                at(42, 74, 254, "# Dealer Program"),
                at(62, 159, 125, "Application only"),
                at(62, 171, 168, "Owner FICO 650 or higher"),
                at(62, 183, 153, "Terms 12 to 60 months"),
                at(238, 159, 344, "Owner FICO 700 or higher"),
                at(238, 171, 330, "Terms 12 to 72 months"),
                at(42, 368, 131, "# Eligible equipment"),
                at(50, 384, 227, "Cooking | Refrigeration"),
                at(50, 398, 118, "Food preparation"),
                at(42, 412, 400, "Used and refurbished equipment is not eligible on any level."),
                at(51, 122, 88, "# Level 1"),
                at(51, 134, 121, "$2,500 - $50,000"),
                at(230, 122, 267, "# Level 2"),
                at(230, 134, 310, "$50,001 - $150,000"))).criteria();

        assertThat(read.programs()).extracting(Program::name).containsExactly("Dealer Program – Level 1",
                "Dealer Program – Level 2");
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(650, 700);
        assertThat(read.programs()).extracting(Program::maxTermMonths).containsExactly(60, 72);
        assertThat(read.programs()).extracting(Program::minAmount).containsExactly(2_500L, 50_001L);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(50_000L, 150_000L);
        assertThat(read.programs().get(0).conditions()).contains("Application only");
        assertThat(read.programs()).extracting(Program::allowedEquipmentTypes).containsOnly(
                List.of("cooking", "refrigeration", "food preparation"));
    }

    @Test
    void aTermWithOrMoreIsAFloorNotTheLongestTerm() {
        assertThat(rules.extract("Promotion available on terms 36 months or more.").programs().get(0).maxTermMonths())
                .isNull();
    }

    @Test
    void aLettersChangesWinOverTheSheetItEncloses() {
        ai.kaaj.domain.CriteriaReading reading = rules.read("""
                Effective May 1, the minimum FICO for Tier B is now 660.
                The largest deal we approve on Tier A increases from $250,000 to $300,000.
                Our PayNet floor moves from 999 to 700.
                Tier A | Tier B
                Minimum FICO | 700 | 640
                Minimum PayNet | 680 | 640
                Transaction size | $10,000 - $250,000 | $10,000 - $100,000
                """);

        LenderCriteria read = reading.criteria();
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(700, 660);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(300_000L, 100_000L);
        assertThat(read.programs()).as("a change whose old value no program holds is not applied")
                .extracting(Program::minPaynet).containsExactly(680, 640);
        assertThat(reading.warnings()).anyMatch(w -> w.contains("moves from 999 to 700") && w.contains("not applied"));
    }

    @Test
    void markedTilesUnderAHeadingThatRefusesBusinessesAreExcludedIndustries() {
        LenderCriteria read = rules.read(page(
                "# Restricted - we cannot fund these businesses",
                "\u2716Firearms | \u2716Adult entertainment | \u2716Cannabis",
                "# High risk - funded at reduced amounts",
                "Trucking | Restaurants")).criteria();

        assertThat(read.excludedIndustries()).containsExactly("firearms", "adult entertainment", "cannabis");
    }
}
