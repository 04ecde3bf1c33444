package ai.kaaj.documents;

import ai.kaaj.extraction.GuidelinePdfs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each limit of PdfText, set low, refuses a document with a message naming it; within them, text is read. */
class PdfTextLimitsTest {

    private static final Ocr OCR = new Ocr(null, "eng");
    private static final DocumentLimits GENEROUS = new DocumentLimits(1000, 50_000, 2_000_000, 3_000_000, 1_000_000, 60);

    private static PdfText reader(DocumentLimits limits) {
        return new PdfText(OCR, 300, 20, limits);
    }

    @Test
    void withinTheLimitsEveryPageIsRead() throws Exception {
        List<PageText> pages = reader(GENEROUS).pages(GuidelinePdfs.textPdf("Minimum FICO: 680\fMaximum term: 60 months"),
                "guide.pdf");
        assertThat(pages).extracting(PageText::method).containsExactly("text", "text");
        assertThat(pages.get(1).text()).contains("Maximum term: 60 months");
    }

    @Test
    void tooManyPages() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf("one\ftwo\fthree");
        assertThatThrownBy(() -> reader(new DocumentLimits(2, 50_000, 2_000_000, 3_000_000, 1_000_000, 60))
                .pages(pdf, "three.pdf"))
                .isInstanceOf(DocumentException.class).hasMessage("three.pdf has 3 pages; the limit is 2");
    }

    @Test
    void tooManyCharactersInTheDocument() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf(("Minimum FICO: 680, time in business two years\n".repeat(4) + "\f").repeat(3));
        assertThatThrownBy(() -> reader(new DocumentLimits(1000, 50_000, 2_000_000, 300, 1_000_000, 60))
                .pages(pdf, "long.pdf"))
                .isInstanceOf(DocumentException.class)
                .hasMessage("long.pdf holds more than 300 characters of text; the limit is 300");
    }

    @Test
    void tooManyDrawingOperationsOnAPage() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf("Minimum FICO: 680\n".repeat(40));
        assertThatThrownBy(() -> reader(new DocumentLimits(1000, 50_000, 50, 3_000_000, 1_000_000, 60))
                .pages(pdf, "busy.pdf"))
                .isInstanceOf(DocumentException.class)
                .hasMessage("page 1 of busy.pdf has more than 50 drawing operations; the limit is 50 a page");
    }

    @Test
    void tooManyCharactersOnAPage() {
        assertThatThrownBy(() -> reader(GENEROUS).pages(HostilePdfs.millionGlyphs(), "glyphs.pdf"))
                .isInstanceOf(DocumentException.class)
                .hasMessage("page 1 of glyphs.pdf holds more than 50,000 characters; the limit is 50,000 a page");
    }

    @Test
    void tooManyObjects() throws Exception {
        byte[] pdf = GuidelinePdfs.textPdf("one");
        assertThatThrownBy(() -> reader(new DocumentLimits(1000, 50_000, 2_000_000, 3_000_000, 3, 60))
                .pages(pdf, "objects.pdf"))
                .isInstanceOf(DocumentException.class)
                .hasMessageMatching("objects\\.pdf holds \\d+ objects; the limit is 3");
    }
}
