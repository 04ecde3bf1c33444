package ai.kaaj.documents;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * A PDF page drawn as a PNG for the console's document view, at twice the PDF's 72 points per inch, so
 * that a box given in PDF points from the page's top-left is the image's pixels halved.
 */
public final class PageImage {

    public static final int PIXELS_PER_POINT = 2;

    private PageImage() {
    }

    /** The page (1 = first) as PNG, or empty when the document has no such page. */
    public static Optional<byte[]> png(byte[] pdf, int pageNumber) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            if (pageNumber < 1 || pageNumber > document.getNumberOfPages()) {
                return Optional.empty();
            }
            var image = new PDFRenderer(document).renderImage(pageNumber - 1, PIXELS_PER_POINT, ImageType.RGB);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return Optional.of(out.toByteArray());
        } catch (IOException e) {
            throw new DocumentException("page " + pageNumber + " could not be drawn: " + e.getMessage());
        }
    }
}
