package ai.kaaj.extraction;

import ai.kaaj.domain.LenderCriteria;
import ai.kaaj.domain.Program;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the rule extractor reads tables of programs, on lines set as a laid-out page gives them. */
class TableReadingTest {

    private final RuleCriteriaExtractor rules = new RuleCriteriaExtractor();

    /** A line of a page: where it starts and ends across, its top, and its text ("# " for a heading). */
    private record At(double x0, double x1, double top, String text) {
    }

    private static At at(double x0, double x1, double top, String text) {
        return new At(x0, x1, top, text);
    }

    /** Lines down the page's width, one under the other. */
    private static List<GuidelineLine> page(String... lines) {
        List<At> out = new ArrayList<>();
        for (String line : lines) {
            out.add(at(54, 560, out.size() * 14, line));
        }
        return page(out.toArray(At[]::new));
    }

    private static List<GuidelineLine> page(At... lines) {
        List<GuidelineLine> out = new ArrayList<>();
        for (At line : lines) {
            boolean heading = line.text().startsWith("# ");
            out.add(new GuidelineLine(1, heading ? line.text().substring(2) : line.text(), heading,
                    new double[] {line.x0(), line.top(), line.x1(), line.top() + 12}));
        }
        return out;
    }

    private static Program named(LenderCriteria criteria, String name) {
        return criteria.programs().stream().filter(p -> p.name().endsWith(name)).findFirst().orElseThrow(
                () -> new AssertionError("no program " + name + " in " + criteria.programs()));
    }

    @Test
    void boxesSideBySideUnderTierNamesReadEachLabelledCellForItsOwnColumn() {
        LenderCriteria read = rules.read(page(
                "Credit Box",
                "Platinum | Gold | Silver",
                "FICO: 700+ | FICO: 670+ | FICO: 640+",
                "In business: 5 years | In business: 3 years | In business: 2 years",
                "Amount: $10,000 – $300,000 | Amount: $10,000 – $150,000 | Amount: $10,000 – $50,000",
                "Term: up to 72 months | Term: up to 60 months | Term: up to 48 months",
                "No bankruptcies within the past 7 years.")).criteria();

        assertThat(read.programs()).extracting(Program::name).containsExactly("Platinum", "Gold", "Silver");
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(700, 670, 640);
        assertThat(read.programs()).extracting(Program::minTimeInBusinessMonths).containsExactly(60, 36, 24);
        assertThat(read.programs()).extracting(Program::minAmount).containsExactly(10_000L, 10_000L, 10_000L);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(300_000L, 150_000L, 50_000L);
        assertThat(read.programs()).extracting(Program::maxTermMonths).containsExactly(72, 60, 48);
        assertThat(read.programs()).extracting(Program::bankruptcyLookbackYears).containsExactly(7, 7, 7);
    }

    @Test
    void aLabelOverBulletItemsIsNotTheValueOfItsFirstItemAlone() {
        // "Eligible Equipment" over two items: read as "Eligible Equipment: Dump trucks, …" the second item (the
        // trailers financed too) would be left out of what the lender finances.
        LenderCriteria read = rules.read(page(
                "Minimum FICO 680",
                "Eligible Equipment",
                "• Dump trucks, box trucks, tow trucks",
                "• Trailers: flatbed, lowboy, dry van")).criteria();

        assertThat(read.programs().get(0).allowedEquipmentTypes()).isNull();
    }

    @Test
    void rowsNamedByProductAreProgramsAndTheHeaderGivesTheUnitOfBareFigures() {
        LenderCriteria read = rules.read(page(
                "Program | Min FICO | PayNet | TIB (yrs) | Max Amount ($K) | Max Term (mo) | Down",
                "Quick Lease | 650+ | — | 2 | 75 | 48 | N/A",
                "Titled Equipment | 680+ | Not required | 3 | 250 | 60 | 10%",
                "Term Loan | 700 | 660 | 5 | 500 | 84 | None")).criteria();

        assertThat(read.programs()).extracting(Program::name)
                .containsExactly("Quick Lease", "Titled Equipment", "Term Loan");
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(650, 680, 700);
        assertThat(read.programs()).extracting(Program::minPaynet).containsExactly(null, null, 660);
        assertThat(read.programs()).extracting(Program::minTimeInBusinessMonths).containsExactly(24, 36, 60);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(75_000L, 250_000L, 500_000L);
        assertThat(read.programs()).extracting(Program::maxTermMonths).containsExactly(48, 60, 84);
        assertThat(read.programs()).extracting(Program::minDownPaymentPct).containsExactly(null, 10.0, null);
    }

    @Test
    void aProgramNamedOnLinesOfItsOwnAboveItsRowKeepsItsNameAndItsSubtitleIsACondition() {
        // A name cell of two lines beside values set between them: the page gives the name, then a row whose
        // first cell is the subtitle, or the name's lines and subtitle, then a row without its first cell.
        LenderCriteria read = rules.read(page(
                "Program | Min FICO | Years in business | Max Amount | Max Term",
                "Quick Lease",
                "application only | 650+ | 2 | $75,000 | 48",
                "Titled",
                "Units",
                "trucks and trailers",
                "680+ | 3 | $250,000 | 60",
                "Fresh Start",
                "under two years | 720 | — | $50,000 | 36")).criteria();

        assertThat(read.programs()).extracting(Program::name)
                .containsExactly("Quick Lease", "Titled Units", "Fresh Start");
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(650, 680, 720);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(75_000L, 250_000L, 50_000L);
        assertThat(named(read, "Quick Lease").conditions()).containsExactly("application only");
        assertThat(named(read, "Titled Units").conditions()).containsExactly("trucks and trailers");
    }

    @Test
    void rowsOfAmountBandsAreProgramsWithTheBandAsTheirDealSize() {
        LenderCriteria read = rules.read(page(
                "Amount | FICO | PayNet | TIB",
                "Up to $75K | 650 | not required | 2 yrs",
                "$75,001 – $150K | 680 | 640 | 3 yrs",
                "> $150K | 700 | 660 | 5 yrs")).criteria();

        assertThat(read.programs()).hasSize(3);
        assertThat(read.programs()).extracting(Program::minAmount).containsExactly(null, 75_001L, 150_001L);
        assertThat(read.programs()).extracting(Program::maxAmount).containsExactly(75_000L, 150_000L, null);
        assertThat(read.programs()).extracting(Program::minFico).containsExactly(650, 680, 700);
        assertThat(read.programs()).extracting(Program::minPaynet).containsExactly(null, 640, 660);
        assertThat(read.programs()).extracting(Program::minTimeInBusinessMonths).containsExactly(24, 36, 60);
    }

    @Test
    void boxesSideBySideUnderTitlesOfTheirOwnStaySeparatePrograms() {
        // A table of programs, then two key-value boxes beside each other, the left read first; a label too long
        // for its narrow cell wraps onto a line of its own ("Time in" over "business | 2 years").
        LenderCriteria read = rules.read(page(
                at(54, 560, 0, "Program | Min FICO | Years in business | Max Amount"),
                at(54, 560, 14, "Express | 640 | 2 | $50,000"),
                at(54, 560, 28, "Select | 700 | 5 | $500,000"),
                at(54, 200, 60, "# Guaranteed"),
                at(60, 200, 76, "FICO | 660+"),
                at(60, 100, 90, "Time in"),
                at(60, 200, 96, "business | 2 years"),
                at(60, 220, 110, "Amount | $10,000 - $250,000"),
                at(320, 460, 60, "# Without a guarantee"),
                at(326, 460, 76, "PayNet | 680+"),
                at(326, 366, 90, "Time in"),
                at(326, 460, 96, "business | 5 years"),
                at(326, 480, 110, "Amount | $25,000 - $500,000"))).criteria();

        Program guaranteed = named(read, "Guaranteed");
        Program corporate = named(read, "Without a guarantee");
        assertThat(guaranteed.minFico()).isEqualTo(660);
        assertThat(guaranteed.minTimeInBusinessMonths()).isEqualTo(24);
        assertThat(guaranteed.maxAmount()).isEqualTo(250_000L);
        assertThat(corporate.minFico()).as("the guaranteed box's FICO stays in its box").isNull();
        assertThat(corporate.minPaynet()).isEqualTo(680);
        assertThat(corporate.minTimeInBusinessMonths()).isEqualTo(60);
        assertThat(corporate.minAmount()).isEqualTo(25_000L);
        assertThat(named(read, "Express").minAmount()).as("no box's values reach the table's programs").isNull();
        assertThat(named(read, "Select").minPaynet()).isNull();
    }

    @Test
    void equipmentUnderWeDoNotFinanceIsExcludedEquipmentAndTheEquipmentFinancedIsAllowed() {
        LenderCriteria read = rules.read(page(
                "Minimum FICO: 660",
                "# Eligible equipment",
                "Lathes | Presses | Grinders",
                "Welding systems",
                "# We do not finance",
                "Aircraft · Vessels · Tanning beds")).criteria();

        Program program = read.programs().get(0);
        assertThat(program.allowedEquipmentTypes()).containsExactly("lathes", "presses", "grinders", "welding systems");
        assertThat(program.excludedEquipmentTypes()).containsExactly("aircraft", "vessels", "tanning beds");
        assertThat(read.excludedIndustries()).isNull();
    }
}
