package ai.kaaj.documents;

import org.apache.pdfbox.pdmodel.common.PDRectangle;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * Guideline pages laid out the way lenders design them, for the layout tests and the layout bench. Each method
 * draws one page on the given PDF.
 */
public final class LayoutPages {

    public static final String LEFT_PROSE = "Applicants in the standard program must show two years in business "
            + "under the same ownership and a personal credit score of at least 680 for every guarantor. Deals "
            + "below twenty thousand dollars are documented on a short form and funded within one business day.";
    public static final String RIGHT_PROSE = "Medical practices are reviewed by a separate desk that reads "
            + "the practice license first. Start-up practices with a licensed owner may be considered with a "
            + "larger advance payment and a signed equipment appraisal from an approved vendor on file.";

    private LayoutPages() {
    }

    /** Two columns of prose set on the same baselines, as a newsletter is. */
    public static void twoColumns(PlacedPdf pdf) throws IOException {
        pdf.page();
        pdf.text(54, 60, 16, true, "Program Overview");
        pdf.paragraph(54, 100, 240, 10, 13, LEFT_PROSE);
        pdf.paragraph(318, 100, 240, 10, 13, RIGHT_PROSE);
    }

    /**
     * A rate sheet: a title, a rate grid on the left with the tier bullets beside it on the right (their lines
     * on the grid's baselines), a "Corp. Only" box under them, and a three-column exclusion list.
     */
    public static void rateSheet(PlacedPdf pdf) throws IOException {
        pdf.page();
        pdf.text(54, 50, 16, true, "Acme Equipment Finance - Standard Program");
        pdf.text(54, 66, 8, "Effective January 1, 2026. Rates subject to change without notice.");
        pdf.text(54, 100, 11, true, "Rate Grid");
        pdf.text(340, 100, 11, true, "A / B / C Rate Guidelines");
        float[] columns = {54, 120, 180, 240};
        String[][] grid = {
                {"Tier", "24-36 mo", "48 mo", "60 mo"},
                {"A", "7.99%", "8.25%", "8.49%"},
                {"B", "9.49%", "9.75%", "9.99%"},
                {"C", "12.99%", "13.25%", "13.49%"}};
        for (int row = 0; row < grid.length; row++) {
            for (int c = 0; c < columns.length; c++) {
                pdf.text(columns[c], 120 + row * 16, 10, row == 0, grid[row][c]);
            }
        }
        String[] bullets = {
                "\u2022 A: 720+ FICO, 700+ PayNet, 5 years in business",
                "\u2022 B: 670+ FICO, 650+ PayNet, 4 years in business",
                "\u2022 C: 640+ FICO, 600+ PayNet, 2 years in business",
                "\u2022 C tier maximum $100,000 per deal",
                "\u2022 All tiers: 700 FICO if no PayNet"};
        for (int i = 0; i < bullets.length; i++) {
            pdf.text(340, 120 + i * 16, 10, bullets[i]);
        }
        pdf.text(54, 230, 11, true, "Corp. Only");
        pdf.text(54, 246, 10, "No personal guarantee. 10 years in business, $3MM annual revenue,");
        pdf.text(54, 259, 10, "PayNet 700 or better. Terms to 60 months.");
        exclusions(pdf, 300);
    }

    /** "Excluded Industry/Equipment" over three columns of bullets. */
    public static void exclusions(PlacedPdf pdf, float top) throws IOException {
        pdf.text(54, top, 11, true, "Excluded Industry/Equipment");
        String[][] items = {
                {"Cannabis", "Gaming and casinos", "ATMs"},
                {"Trucking (local and long haul)", "Adult entertainment", "Equipment over 15 years old"},
                {"Firearms dealers", "Check cashing", "Aircraft"}};
        float[] x = {54, 230, 406};
        for (int row = 0; row < items.length; row++) {
            for (int c = 0; c < 3; c++) {
                pdf.text(x[c], top + 20 + row * 14, 10, "\u2022 " + items[row][c]);
            }
        }
    }

    /** A credit box table: one column per program, one row per criterion. */
    public static void creditBox(PlacedPdf pdf) throws IOException {
        pdf.page();
        pdf.text(54, 60, 14, true, "Credit Box");
        float[] x = {54, 250, 400};
        String[][] rows = {
                {"Criteria", "App Only", "Full Financials"},
                {"Minimum FICO", "650", "680"},
                {"Time in business", "2 years", "3 years"},
                {"Maximum amount", "$150,000", "$1,000,000"},
                {"Equipment age", "10 years", "15 years"}};
        for (int row = 0; row < rows.length; row++) {
            for (int c = 0; c < 3; c++) {
                pdf.text(x[c], 90 + row * 18, 10, row == 0, rows[row][c]);
            }
        }
        pdf.text(54, 200, 10, "Financials are required above $150,000: two years of tax returns and interim statements.");
    }

    /**
     * A landscape page as scanners and spreadsheet exports write it: a portrait page with /Rotate 90 and its
     * text drawn turned, so that it reads upright when displayed. Also a label running up the margin.
     */
    public static void rotated(PlacedPdf pdf) throws IOException {
        pdf.page(PDRectangle.LETTER, 90);
        upright(pdf, 54, 60, 14, "Landscape Rate Card");
        upright(pdf, 54, 90, 10, "Minimum FICO 680, two years in business.");
        upright(pdf, 400, 90, 10, "\u2022 Titled equipment: add 0.50%");
        upright(pdf, 400, 104, 10, "\u2022 Private party sales: 700 FICO");
        pdf.turnedText(40, 700, 8, 0, "Form RC-7");
    }

    /** Text at display position (x, top) of a /Rotate 90 letter page, drawn so it reads upright. */
    private static void upright(PlacedPdf pdf, float x, float top, float size, String text) throws IOException {
        pdf.turnedText(top, PDRectangle.LETTER.getHeight() - x, size, 90, text);
    }

    /**
     * A page of many tiny fragments, as chart labels and character-by-character exports make: every character
     * of a paragraph placed on its own, and a grid of 4-point figures.
     */
    public static int fragments(PlacedPdf pdf) throws IOException {
        pdf.page();
        int count = 0;
        pdf.text(54, 50, 12, true, "Portfolio Chart");
        float x = 54;
        float top = 80;
        for (char c : (LEFT_PROSE + " " + RIGHT_PROSE).toCharArray()) {
            String glyph = String.valueOf(c);
            pdf.text(x, top, 9, glyph);
            count++;
            x += PlacedPdf.REGULAR.getStringWidth(glyph) / 1000 * 9;
            if (x > 540 && c == ' ') {
                x = 54;
                top += 12;
            }
        }
        for (int row = 0; row < 80; row++) {
            for (int column = 0; column < 60; column++) {
                pdf.text(54 + column * 8.5f, 200 + row * 6, 4, String.valueOf((row * 7 + column) % 10));
                count++;
            }
        }
        return count;
    }

    /** A logo image in the top corner beside the lender's name, then the guideline text. */
    public static void imageAndText(PlacedPdf pdf) throws IOException {
        pdf.page();
        BufferedImage logo = new BufferedImage(240, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = logo.createGraphics();
        g.setColor(new Color(20, 60, 140));
        g.fillRect(0, 0, 240, 120);
        g.setColor(Color.WHITE);
        g.fillOval(40, 20, 80, 80);
        g.dispose();
        pdf.image(logo, 54, 36, 96, 48);
        pdf.text(170, 66, 18, true, "Northwind Capital");
        pdf.text(54, 120, 11, true, "Broker Guidelines");
        pdf.paragraph(54, 140, 500, 10, 13, LEFT_PROSE);
        pdf.image(logo, 400, 200, 150, 75);
        pdf.text(54, 220, 10, "\u2022 Maximum amount $250,000");
        pdf.text(54, 234, 10, "\u2022 Terms 24 to 60 months");
    }
}
