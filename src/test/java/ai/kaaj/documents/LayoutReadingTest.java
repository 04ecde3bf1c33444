package ai.kaaj.documents;

import ai.kaaj.support.DefaultSettings;
import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Cell;
import ai.kaaj.documents.PageLayout.Kind;
import ai.kaaj.documents.PageLayout.Line;
import ai.kaaj.extraction.GuidelinePdfs;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Designed pages made with PDFBox, read by {@link PdfText} into blocks as an operator would read them. */
class LayoutReadingTest {

    private final PdfText pdfText = new PdfText(new Ocr(null, "eng"), 200, 20, DefaultSettings.load().documentLimits());

    interface Design {
        void draw(PlacedPdf pdf) throws IOException;
    }

    static byte[] pdf(Design design) throws IOException {
        try (PlacedPdf pdf = new PlacedPdf()) {
            design.draw(pdf);
            return pdf.bytes();
        }
    }

    private PageText read(byte[] pdf) {
        List<PageText> pages = pdfText.pages(pdf, "test.pdf");
        assertThat(pages).hasSize(1);
        return pages.get(0);
    }

    private static Block block(PageText page, String text) {
        return page.layout().blocks().stream().filter(b -> b.text().contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no block contains '" + text + "' in\n" + page.text()));
    }

    private static String flat(String text) {
        return text.replace('\n', ' ');
    }

    @Test
    void sideBySideColumnsOnTheSameBaselinesAreReadOneAfterTheOther() throws Exception {
        byte[] pdf = pdf(LayoutPages::twoColumns);
        PageText page = read(pdf);

        Block left = block(page, "Applicants in the standard program");
        Block right = block(page, "Medical practices are reviewed");
        assertThat(flat(left.text())).isEqualTo(LayoutPages.LEFT_PROSE);
        assertThat(flat(right.text())).isEqualTo(LayoutPages.RIGHT_PROSE);
        assertThat(left.kind()).isEqualTo(Kind.PARAGRAPH);
        assertThat(left.band()).isEqualTo(right.band()).isPositive();
        assertThat(List.of(left.column(), right.column())).containsExactly(1, 2);
        // Plain text: the left column whole, then the right one; never a line holding both.
        assertThat(flat(page.text())).contains(LayoutPages.LEFT_PROSE + "  " + LayoutPages.RIGHT_PROSE);
        assertThat(page.text().lines()).noneMatch(line -> line.contains("two") && line.contains("desk"));

        // pdftotext -layout keeps the columns side by side on one line: the reading a line reader gets.
        List<String> reference = pdftotextLayout(pdf);
        assertThat(reference).anyMatch(line -> line.contains("must show two") && line.contains("separate desk"));
    }

    @Test
    void columnsOnDifferentLineSpacingAreNeverMerged() throws Exception {
        PageText page = read(pdf(pdf -> {
            pdf.page();
            pdf.paragraph(54, 100, 240, 10, 13, LayoutPages.LEFT_PROSE);
            pdf.paragraph(318, 104, 240, 9, 17.5f, LayoutPages.RIGHT_PROSE);
        }));
        assertThat(page.layout().blocks()).extracting(b -> flat(b.text()), Block::column).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LayoutPages.LEFT_PROSE, 1),
                org.assertj.core.groups.Tuple.tuple(LayoutPages.RIGHT_PROSE, 2));
    }

    @Test
    void aRateGridBesideItsTierBulletsKeepsRowsAsCellsAndBulletsAsItems() throws Exception {
        PageText page = read(pdf(LayoutPages::rateSheet));
        List<Block> blocks = page.layout().blocks();

        List<Block> rows = blocks.stream().filter(b -> b.kind() == Kind.TABLE_ROW).toList();
        assertThat(rows).extracting(b -> b.cells().stream().map(Cell::text).toList()).containsExactly(
                List.of("Tier", "24-36 mo", "48 mo", "60 mo"),
                List.of("A", "7.99%", "8.25%", "8.49%"),
                List.of("B", "9.49%", "9.75%", "9.99%"),
                List.of("C", "12.99%", "13.25%", "13.49%"));
        List<Block> bullets = blocks.stream().filter(b -> b.kind() == Kind.BULLET && b.text().contains("FICO"))
                .toList();
        assertThat(bullets).extracting(Block::text).containsExactly(
                "\u2022 A: 720+ FICO, 700+ PayNet, 5 years in business",
                "\u2022 B: 670+ FICO, 650+ PayNet, 4 years in business",
                "\u2022 C: 640+ FICO, 600+ PayNet, 2 years in business",
                "\u2022 All tiers: 700 FICO if no PayNet");
        // Beside each other: one band, grid in column 1, bullets in column 2, the grid read first.
        Block rowB = rows.get(2);
        Block bulletB = bullets.get(1);
        assertThat(rowB.band()).isEqualTo(bulletB.band());
        assertThat(rowB.column()).isEqualTo(1);
        assertThat(bulletB.column()).isEqualTo(2);
        assertThat(blocks.indexOf(rows.get(3))).isLessThan(blocks.indexOf(bullets.get(0)));
        assertThat(block(page, "A / B / C Rate Guidelines").kind()).isEqualTo(Kind.HEADING);
        // The grid row and the bullet on its baseline stay apart in the plain text too.
        assertThat(page.text()).contains("B | 9.49% | 9.75% | 9.99%\n")
                .contains("\n\u2022 B: 670+ FICO, 650+ PayNet, 4 years in business\n");

        // The box under them spans the page again and comes after both columns.
        Block corp = block(page, "Corp. Only");
        assertThat(corp.kind()).isEqualTo(Kind.HEADING);
        assertThat(corp.band()).isZero();
        assertThat(blocks.indexOf(corp)).isGreaterThan(blocks.indexOf(bullets.get(3)));
        assertThat(blocks.get(blocks.indexOf(corp) + 1).text())
                .isEqualTo("No personal guarantee. 10 years in business, $3MM annual revenue,\n"
                        + "PayNet 700 or better. Terms to 60 months.");
    }

    @Test
    void aTitleAboveAndABoxJustBelowTheColumnsAreNotReadAsPartOfTheLeftColumn() throws Exception {
        PageText page = read(pdf(pdf -> {
            pdf.page();
            pdf.text(54, 50, 16, true, "Summit Capital Rate Sheet");
            pdf.text(54, 64, 8, "Effective March 1, 2026");
            pdf.text(54, 84, 10, true, "Standard Rates");
            pdf.text(330, 84, 10, true, "Tier Guidelines");
            for (int i = 0; i < 5; i++) {
                pdf.text(54, 100 + i * 13, 10, "Tier " + (char) ('A' + i));
                pdf.text(150, 100 + i * 13, 10, (7 + i) + ".99%");
                if (i < 3) {
                    pdf.text(330, 100 + i * 13, 10, "\u2022 Tier " + (char) ('A' + i) + ": " + (720 - 40 * i) + "+ FICO");
                }
            }
            // The box follows the longer left column after a paragraph break, not a section gap.
            pdf.text(54, 179, 10, true, "Corp. Only");
            pdf.text(54, 192, 10, "No personal guarantee; 10 years in business.");
        }));
        List<Block> blocks = page.layout().blocks();
        assertThat(blocks.subList(0, 2)).extracting(Block::band).containsOnly(0);
        Block corp = block(page, "Corp. Only");
        assertThat(corp.band()).isZero();
        assertThat(blocks.indexOf(corp)).isGreaterThan(blocks.indexOf(block(page, "Tier C: 640+ FICO")));
        assertThat(block(page, "Tier E").band()).isEqualTo(block(page, "Tier A: 720+ FICO").band()).isPositive();
    }

    /** Browsers print list bullets as small filled discs, not characters; they still make bullet items. */
    @Test
    void bulletsDrawnAsDiscsBesideAGridAreBulletItems() throws Exception {
        PageText page = read(pdf(pdf -> {
            pdf.page();
            String[] items = {"A: 720+ FICO, 700+ PayNet", "B: 670+ FICO, 650+ PayNet, 4 years",
                    "in business", "C: 640+ FICO, 600+ PayNet"};
            for (int i = 0; i < items.length; i++) {
                pdf.text(54, 100 + i * 14, 10, "ABC".substring(Math.min(i, 2), Math.min(i, 2) + 1));
                pdf.text(120, 100 + i * 14, 10, (8 + i) + ".49%");
                float x = i == 2 ? 352 : 340;
                if (i != 2) {
                    pdf.disc(334, 100 + i * 14 - 3.5f, 3);
                }
                pdf.text(x, 100 + i * 14, 10, items[i]);
            }
            // A larger shape is a picture, not a bullet.
            pdf.disc(334, 200, 20);
            pdf.text(350, 203, 10, "Call for pricing");
        }));
        List<Block> bullets = page.layout().blocks().stream().filter(b -> b.kind() == Kind.BULLET).toList();
        assertThat(bullets).extracting(Block::text).containsExactly(
                "\u2022 A: 720+ FICO, 700+ PayNet", "\u2022 B: 670+ FICO, 650+ PayNet, 4 years\nin business",
                "\u2022 C: 640+ FICO, 600+ PayNet");
        assertThat(bullets).allMatch(b -> b.column() == 2);
        assertThat(block(page, "Call for pricing").text()).isEqualTo("Call for pricing");
    }

    @Test
    void aThreeColumnExclusionListIsReadItemByItemColumnByColumn() throws Exception {
        PageText page = read(pdf(LayoutPages::rateSheet));
        List<Block> items = page.layout().blocks().stream()
                .filter(b -> b.kind() == Kind.BULLET && !b.text().contains("FICO") && !b.text().contains("$100"))
                .toList();
        assertThat(items).extracting(Block::text).containsExactly(
                "\u2022 Cannabis", "\u2022 Trucking (local and long haul)", "\u2022 Firearms dealers",
                "\u2022 Gaming and casinos", "\u2022 Adult entertainment", "\u2022 Check cashing",
                "\u2022 ATMs", "\u2022 Equipment over 15 years old", "\u2022 Aircraft");
        assertThat(items).extracting(Block::column).containsExactly(1, 1, 1, 2, 2, 2, 3, 3, 3);
        assertThat(block(page, "Excluded Industry/Equipment").kind()).isEqualTo(Kind.HEADING);
    }

    @Test
    void aCreditBoxTableIsReadRowByRowWithItsCells() throws Exception {
        PageText page = read(pdf(LayoutPages::creditBox));
        List<Block> rows = page.layout().blocks().stream().filter(b -> b.kind() == Kind.TABLE_ROW).toList();
        assertThat(rows).extracting(b -> b.cells().stream().map(Cell::text).toList()).containsExactly(
                List.of("Criteria", "App Only", "Full Financials"),
                List.of("Minimum FICO", "650", "680"),
                List.of("Time in business", "2 years", "3 years"),
                List.of("Maximum amount", "$150,000", "$1,000,000"),
                List.of("Equipment age", "10 years", "15 years"));
        assertThat(rows.get(0).bold()).isTrue();
        // A cell's box is where its text is: "680" sits under "Full Financials".
        Cell header = rows.get(0).cells().get(2);
        Cell fico = rows.get(1).cells().get(2);
        assertThat(fico.bbox().x0()).isEqualTo(header.bbox().x0());
        assertThat(fico.bbox().y0()).isGreaterThan(header.bbox().y1());
        assertThat(block(page, "Financials are required").kind()).isEqualTo(Kind.PARAGRAPH);
        assertThat(block(page, "Credit Box").kind()).isEqualTo(Kind.HEADING);
    }

    @Test
    void headingsAreToldByTheirSizeOrWeightAgainstTheBodyText() throws Exception {
        PageText page = read(pdf(pdf -> {
            pdf.page();
            pdf.text(54, 60, 16, "Medical Program");
            pdf.text(54, 90, 10, true, "Eligibility");
            pdf.text(54, 106, 10, "Practices licensed in the state for two years or more.");
            pdf.text(54, 130, 10, "Short line without a period");
            pdf.text(54, 154, 10, "1. Two years of tax returns");
            pdf.text(66, 166, 10, "with all schedules");
            pdf.text(54, 178, 10, "2. A copy of the practice license");
        }));
        assertThat(page.layout().blocks()).extracting(Block::kind, Block::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.HEADING, "Medical Program"),
                org.assertj.core.groups.Tuple.tuple(Kind.HEADING, "Eligibility"),
                org.assertj.core.groups.Tuple.tuple(Kind.PARAGRAPH,
                        "Practices licensed in the state for two years or more."),
                org.assertj.core.groups.Tuple.tuple(Kind.PARAGRAPH, "Short line without a period"),
                org.assertj.core.groups.Tuple.tuple(Kind.BULLET, "1. Two years of tax returns\nwith all schedules"),
                org.assertj.core.groups.Tuple.tuple(Kind.BULLET, "2. A copy of the practice license"));
        assertThat(page.layout().bodySize()).isEqualTo(10f);
    }

    @Test
    void aRotatedPageIsReadUprightInItsDisplayedCoordinates() throws Exception {
        PageText page = read(pdf(LayoutPages::rotated));
        assertThat(page.method()).isEqualTo("text");
        assertThat(page.layout().width()).isEqualTo(PDRectangle.LETTER.getHeight());
        assertThat(page.layout().height()).isEqualTo(PDRectangle.LETTER.getWidth());
        Block heading = block(page, "Landscape Rate Card");
        assertThat(heading.kind()).isEqualTo(Kind.HEADING);
        assertThat(heading.bbox().x0()).isEqualTo(54f);
        assertThat(block(page, "Minimum FICO 680").column()).isEqualTo(1);
        assertThat(block(page, "Titled equipment").column()).isEqualTo(2);
        assertThat(block(page, "Private party sales").kind()).isEqualTo(Kind.BULLET);
        // The label running up the margin is read too, after the upright text.
        assertThat(page.layout().blocks().get(page.layout().blocks().size() - 1).text()).isEqualTo("Form RC-7");
    }

    @Test
    void aPageOfThousandsOfTinyFragmentsIsReadWithinTheCaps() throws Exception {
        int[] fragments = new int[1];
        PageText page = read(pdf(pdf -> fragments[0] = LayoutPages.fragments(pdf)));
        assertThat(fragments[0]).isGreaterThan(4_000);
        // Character by character, the paragraph still reads as words.
        assertThat(flat(block(page, "Applicants in the standard").text()))
                .isEqualTo(LayoutPages.LEFT_PROSE + " " + LayoutPages.RIGHT_PROSE);
        List<Block> figures = page.layout().blocks().stream().filter(b -> b.kind() == Kind.TABLE_ROW).toList();
        assertThat(figures).hasSize(80).allMatch(row -> row.cells().size() == 60);
        assertWithinCaps(page.layout());
    }

    @Test
    void aPageMixingImagesAndTextReadsItsTextLayer() throws Exception {
        PageText page = read(pdf(LayoutPages::imageAndText));
        assertThat(page.method()).isEqualTo("text");
        assertThat(block(page, "Northwind Capital").kind()).isEqualTo(Kind.HEADING);
        assertThat(flat(block(page, "Applicants").text())).isEqualTo(LayoutPages.LEFT_PROSE);
        assertThat(block(page, "Maximum amount $250,000").kind()).isEqualTo(Kind.BULLET);
    }

    @Test
    void longLinesAndLongParagraphsAreCappedWithoutLosingText() throws Exception {
        String word = "collateral ";
        String longLine = word.repeat(400).trim();
        PageText page = read(pdf(pdf -> {
            pdf.page(new PDRectangle(14_400, 1_400), 0);
            pdf.text(20, 40, 6, longLine);
            for (int i = 0; i < 100; i++) {
                pdf.text(20, 80 + i * 8, 6, "Line " + i + " of a long paragraph that goes on");
            }
        }));
        assertWithinCaps(page.layout());
        List<Block> blocks = page.layout().blocks();
        // The 4,399-character line goes on over lines of at most 1,000, and they over a second block.
        List<Block> lineBlocks = blocks.stream().filter(b -> b.text().startsWith("collateral")).toList();
        assertThat(lineBlocks).hasSize(2);
        assertThat(lineBlocks.stream().mapToInt(b -> b.lines().size()).sum()).isGreaterThanOrEqualTo(5);
        assertThat(String.join(" ", lineBlocks.stream().map(b -> flat(b.text())).toList())).isEqualTo(longLine);
        // The hundred-line paragraph is cut into blocks of at most 40 lines, every line kept.
        List<Block> paragraph = blocks.stream().filter(b -> b.text().startsWith("Line ")).toList();
        assertThat(paragraph).hasSize(3).allMatch(b -> b.kind() == Kind.PARAGRAPH);
        assertThat(paragraph.stream().mapToInt(b -> b.lines().size()).sum()).isEqualTo(100);
    }

    @Test
    void theLayoutSurvivesItsJson() throws Exception {
        PageLayout layout = read(pdf(LayoutPages::rateSheet)).layout();
        PageLayout back = PageLayout.fromJson(layout.toJson());
        assertThat(back.text()).isEqualTo(layout.text());
        assertThat(back.blocks()).extracting(Block::kind, Block::band, Block::column, Block::page)
                .isEqualTo(layout.blocks().stream().map(b -> org.assertj.core.groups.Tuple.tuple(b.kind(), b.band(),
                        b.column(), b.page())).toList());
        Block row = back.blocks().stream().filter(b -> b.kind() == Kind.TABLE_ROW).findFirst().orElseThrow();
        assertThat(row.cells()).extracting(Cell::text).containsExactly("Tier", "24-36 mo", "48 mo", "60 mo");
        assertThat(row.bbox().x0()).isEqualTo(Math.round(layout.blocks().stream()
                .filter(b -> b.kind() == Kind.TABLE_ROW).findFirst().orElseThrow().bbox().x0()));
        assertThat(layout.toJson()).startsWith("{\"page\":1,\"width\":612,\"height\":792,\"body_size\":10.0,"
                + "\"blocks\":[{\"kind\":\"heading\",\"band\":0,\"column\":0,\"bbox\":[54,");
    }

    /**
     * Single-column guidelines read as before: the same lines as PDFBox's own position-sorted text, wide gaps
     * between words now written as cell separators.
     */
    @Test
    void singleColumnDocumentsKeepTheLinesTheExtractorReadsToday() throws Exception {
        List<Path> corpus;
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/extraction/corpus"))) {
            corpus = files.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
        }
        assertThat(corpus).isNotEmpty();
        for (Path document : corpus) {
            byte[] pdf = GuidelinePdfs.textPdf(Files.readString(document, StandardCharsets.UTF_8));
            String before = GuidelinePdfs.text(pdf);
            String now = String.join("\f", pdfText.pages(pdf, "corpus.pdf").stream().map(PageText::text).toList());
            assertThat(normalisedLines(now)).as(document.getFileName().toString())
                    .isEqualTo(normalisedLines(before));
        }
    }

    private static List<String> normalisedLines(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("[\n\f]")) {
            String normal = line.replace(" | ", "   ").replaceAll("\\s{3,}", " | ").replaceAll("\\s+", " ").trim();
            if (!normal.isEmpty()) {
                lines.add(normal);
            }
        }
        return lines;
    }

    static void assertWithinCaps(PageLayout layout) {
        for (Block block : layout.blocks()) {
            assertThat(block.lines()).hasSizeLessThanOrEqualTo(PageLayout.MAX_BLOCK_LINES);
            assertThat(block.lines().stream().mapToInt(l -> l.text().length()).sum())
                    .isLessThanOrEqualTo(PageLayout.MAX_BLOCK_CHARS);
            assertThat(block.lines()).extracting(Line::text)
                    .allMatch(text -> text.length() <= PageLayout.MAX_LINE_CHARS);
            assertThat(block.cells()).extracting(Cell::text)
                    .allMatch(text -> text.length() <= PageLayout.MAX_LINE_CHARS);
        }
    }

    private static List<String> pdftotextLayout(byte[] pdf) throws Exception {
        Path file = Files.createTempFile("layout", ".pdf");
        try {
            Files.write(file, pdf);
            Process process;
            try {
                process = new ProcessBuilder("pdftotext", "-layout", file.toString(), "-").redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                Assumptions.abort("pdftotext (poppler-utils) is not installed: " + e.getMessage());
                return List.of();
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).isZero();
            return out.lines().toList();
        } finally {
            Files.delete(file);
        }
    }
}
