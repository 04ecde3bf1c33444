package ai.kaaj.documents;

import ai.kaaj.support.DefaultSettings;
import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Kind;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A scanned page (an image, no text layer) read by tesseract into the same blocks as a text page. */
class OcrLayoutTest {

    private static final String[] LEFT = {"Minimum FICO 680", "Two years in business", "Terms up to 60 months"};
    private static final String[] RIGHT = {"- Cannabis", "- Gaming and casinos", "- Check cashing"};

    @Test
    void aScannedTwoColumnPageIsReadIntoHeadingAndColumns() throws Exception {
        PageText page = readLetterScan(scan(), 200);
        assertThat(page.method()).isEqualTo("ocr");
        List<Block> blocks = page.layout().blocks();
        assertThat(blocks.get(0).kind()).isEqualTo(Kind.HEADING);
        assertThat(blocks.get(0).text()).isEqualTo("Credit Guidelines");

        Block left = blocks.stream().filter(b -> b.text().contains("FICO")).findFirst().orElseThrow();
        assertThat(left.kind()).isEqualTo(Kind.PARAGRAPH);
        assertThat(left.text()).isEqualTo(String.join("\n", LEFT));
        List<Block> items = blocks.stream().filter(b -> b.kind() == Kind.BULLET).toList();
        assertThat(items).extracting(Block::text).containsExactly(RIGHT);
        assertThat(items).allMatch(item -> item.band() == left.band() && item.column() == left.column() + 1);
        // Boxes are in points on the page: the left column starts an inch in (200 px at 200 dpi).
        assertThat(left.bbox().x0()).isBetween(70f, 74f);
        assertThat(page.text()).startsWith("Credit Guidelines\n\n" + String.join("\n", LEFT) + "\n\n"
                + String.join("\n", RIGHT));
    }

    private static final String[] ITEMS = {"Cannabis", "Gaming and casinos", "Check cashing"};

    @Test
    void roundBulletsReadAsLettersBecomeBulletMarks() throws Exception {
        PageText page = readLetterScan(bulletList(), 300);

        List<Block> items = page.layout().blocks().stream().filter(b -> b.kind() == Kind.BULLET).toList();
        assertThat(items).extracting(Block::text)
                .containsExactly(java.util.Arrays.stream(ITEMS).map(item -> "• " + item).toArray(String[]::new));
    }

    /** "Excluded industries" over a list whose bullets are round dots, as a printed "•" scans. */
    private static BufferedImage bulletList() {
        BufferedImage image = letterScan();
        Graphics2D g = pen(image, 0);
        g.setFont(new Font(Font.SERIF, Font.BOLD, 40));
        g.drawString("Excluded industries", 200, 300);
        g.setFont(new Font(Font.SERIF, Font.PLAIN, 36));
        for (int i = 0; i < ITEMS.length; i++) {
            int baseline = 400 + i * 60;
            // A bullet a third of the type's size, at the middle of its lower-case letters.
            g.fillOval(220, baseline - 9 - 6, 12, 12);
            g.drawString(ITEMS[i], 260, baseline);
        }
        g.dispose();
        return image;
    }

    private static final String[][] TABLE = {
            {"Minimum FICO", "700", "660"},
            {"Years in business", "3", "2"},
            {"Maximum amount", "$250,000", "$100,000"},
            {"Longest term", "60 months", "48 months"}};

    @Test
    void aRuledTableScannedAskewIsReadRowByRowIntoItsCells() throws Exception {
        PageText page = readLetterScan(ruledTable(1.5), 300);

        assertThat(tableRows(page)).containsSubsequence(java.util.Arrays.stream(TABLE).map(List::of).toList());
    }

    @Test
    void aTableScannedSidewaysOrUpsideDownIsTurnedUprightAndReadRowByRow() throws Exception {
        Ocr ocr = ocr();
        for (int quarters : new int[] {1, 2}) {
            BufferedImage scan = DeskewTest.quarterTurned(ruledTable(0.8), quarters);
            float width = scan.getWidth() * 72f / 200;
            float height = scan.getHeight() * 72f / 200;
            byte[] pdf = LayoutReadingTest.pdf(p -> {
                p.page(new PDRectangle(width, height), 0);
                p.image(scan, 0, 0, width, height);
            });

            PageText page = new PdfText(ocr, 300, 20, DefaultSettings.load().documentLimits())
                    .pages(pdf, "scan.pdf").get(0);

            assertThat(tableRows(page)).as("scanned %d quarter turns round", quarters)
                    .containsSubsequence(java.util.Arrays.stream(TABLE).map(List::of).toList());
        }
    }

    /**
     * A table ruled between its rows and columns as printed, then scanned at 200 dpi turned by {@code degrees}
     * (clockwise), as a sheet fed askew.
     */
    private static BufferedImage ruledTable(double degrees) {
        BufferedImage image = letterScan();
        Graphics2D g = pen(image, degrees);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 36));
        int[] columns = {200, 750, 1150, 1500};
        int top = 400;
        int rowHeight = 80;
        g.setStroke(new java.awt.BasicStroke(3));
        for (int r = 0; r <= TABLE.length; r++) {
            g.drawLine(columns[0] - 20, top + r * rowHeight, columns[3], top + r * rowHeight);
        }
        for (int column : columns) {
            g.drawLine(column - 20, top, column - 20, top + TABLE.length * rowHeight);
        }
        for (int r = 0; r < TABLE.length; r++) {
            for (int c = 0; c < 3; c++) {
                g.drawString(TABLE[r][c], columns[c], top + r * rowHeight + 54);
            }
        }
        g.dispose();
        return image;
    }

    /** Letter size at 200 dpi: a large heading, then two columns on the same baselines. */
    private static BufferedImage scan() {
        BufferedImage image = letterScan();
        Graphics2D g = pen(image, 0);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 64));
        g.drawString("Credit Guidelines", 200, 240);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 36));
        for (int i = 0; i < LEFT.length; i++) {
            g.drawString(LEFT[i], 200, 400 + i * 56);
            g.drawString(RIGHT[i], 950, 400 + i * 56);
        }
        g.dispose();
        return image;
    }

    private static Ocr ocr() {
        Ocr ocr = new Ocr(null, "eng");
        Assumptions.assumeTrue(ocr.isAvailable(), () -> "skipped: OCR needs tesseract, which is not installed here ("
                + ocr.unavailableReason().orElse("") + "); " + Ocr.INSTALL_HINT);
        return ocr;
    }

    /** The image as an image-only Letter page, read as uploads are, rendered for OCR at {@code dpi}. */
    private static PageText readLetterScan(BufferedImage image, int dpi) throws Exception {
        Ocr ocr = ocr();
        byte[] pdf = LayoutReadingTest.pdf(p -> {
            p.page();
            p.image(image, 0, 0, PDRectangle.LETTER.getWidth(), PDRectangle.LETTER.getHeight());
        });
        return new PdfText(ocr, dpi, 20, DefaultSettings.load().documentLimits()).pages(pdf, "scan.pdf").get(0);
    }

    private static List<List<String>> tableRows(PageText page) {
        return page.layout().blocks().stream().filter(b -> b.kind() == Kind.TABLE_ROW)
                .map(b -> b.cells().stream().map(PageLayout.Cell::text).toList()).toList();
    }

    /** A blank Letter page scanned at 200 dpi, in grey. */
    static BufferedImage letterScan() {
        BufferedImage image = new BufferedImage(1700, 2200, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1700, 2200);
        g.dispose();
        return image;
    }

    /** A black pen on the page, smoothing its text and lines, turned by {@code degrees} clockwise about the centre. */
    static Graphics2D pen(BufferedImage page, double degrees) {
        Graphics2D g = page.createGraphics();
        g.rotate(Math.toRadians(degrees), page.getWidth() / 2.0, page.getHeight() / 2.0);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        return g;
    }
}
