package ai.kaaj.documents;

import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.support.DefaultSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whose order a page is read in: a layout program's drawing order is trusted as the reading order; a PDF
 * library's, which places text wherever its caller says, is not, and the page is read by its geometry.
 */
class PageReadingTest {

    private final PdfText pdfText = new PdfText(new Ocr(null, "eng"), 200, 20, DefaultSettings.load().documentLimits());

    /** A sidebar drawn before the main column it stands right of, as a layout program draws a text frame. */
    private static byte[] sidebarDrawnFirst(String producer) throws IOException {
        try (PlacedPdf pdf = new PlacedPdf()) {
            pdf.page().producer(producer);
            pdf.text(340, 100, 12, true, "Corp. Only");
            pdf.text(340, 118, 10, "10 years in business minimum");
            pdf.text(340, 132, 10, "PayNet 700 or higher");
            pdf.text(54, 107, 12, true, "Tier A");
            pdf.text(54, 125, 10, "700+ FICO, 680+ PayNet");
            pdf.text(54, 139, 10, "Up to $250,000");
            return pdf.bytes();
        }
    }

    private List<String> blocks(byte[] pdf) {
        return pdfText.pages(pdf, "sheet.pdf").get(0).layout().blocks().stream().map(Block::text).toList();
    }

    @Test
    void aLayoutProgramsPageIsReadInTheOrderItIsDrawn() throws Exception {
        List<String> blocks = blocks(sidebarDrawnFirst("Microsoft® Word for Microsoft 365"));
        assertThat(blocks.get(0)).isEqualTo("Corp. Only");
        assertThat(String.join("\n", blocks)).containsSubsequence("PayNet 700 or higher", "Tier A",
                "700+ FICO, 680+ PayNet");
    }

    @Test
    void aPdfLibrarysPageIsReadByItsGeometry() throws Exception {
        for (String producer : List.of("iText 7.2", "")) {
            List<String> blocks = blocks(sidebarDrawnFirst(producer));
            assertThat(String.join("\n", blocks)).as(producer).containsSubsequence("Tier A", "Up to $250,000",
                    "Corp. Only");
        }
    }

    @Test
    void narrowTableColumnsAreCellsWhereTheGapHasNoDrawnSpace() throws Exception {
        // A layout program draws a cell's words with their spaces and leaves only padding between cells: in narrow
        // columns that gap (one font size here) is narrower than the wide gap that parts cells otherwise.
        float size = 10;
        byte[] pdf;
        try (PlacedPdf placed = new PlacedPdf()) {
            placed.page().producer("Skia/PDF m120");
            placed.text(54, 80, size, "Each product below has its own A, B and C tiers.");
            float x = 54;
            for (String cell : List.of("Standard", "A", "700", "3 yrs", "$10,000 - $350,000")) {
                placed.text(x, 110, size, cell);
                x += PlacedPdf.REGULAR.getStringWidth(cell) / 1000 * size + size;
            }
            pdf = placed.bytes();
        }
        List<Block> rows = pdfText.pages(pdf, "grid.pdf").get(0).layout().blocks().stream()
                .filter(block -> block.kind() == PageLayout.Kind.TABLE_ROW).toList();
        assertThat(rows).extracting(row -> row.cells().stream().map(PageLayout.Cell::text).toList())
                .containsExactly(List.of("Standard", "A", "700", "3 yrs", "$10,000 - $350,000"));
        assertThat(blocks(pdf).get(0)).as("prose keeps its words together")
                .isEqualTo("Each product below has its own A, B and C tiers.");
    }
}
