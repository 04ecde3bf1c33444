package ai.kaaj.documents;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.util.Matrix;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Designed pages made in tests: text placed at coordinates (y measured from the top of the page, to the
 * baseline), as layout tools write rate sheets. Helvetica, so only WinAnsi characters (the bullet included).
 */
public final class PlacedPdf implements AutoCloseable {

    public static final PDType1Font REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    public static final PDType1Font BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);

    private final PDDocument document = new PDDocument();
    private PDPage page;
    private PDPageContentStream content;

    public PlacedPdf page() throws IOException {
        return page(PDRectangle.LETTER, 0);
    }

    public PlacedPdf page(PDRectangle size, int rotation) throws IOException {
        closeContent();
        page = new PDPage(size);
        page.setRotation(rotation);
        document.addPage(page);
        content = new PDPageContentStream(document, page);
        return this;
    }

    public PlacedPdf text(float x, float top, float size, String text) throws IOException {
        return text(x, top, size, false, text);
    }

    public PlacedPdf text(float x, float top, float size, boolean bold, String text) throws IOException {
        content.beginText();
        content.setFont(bold ? BOLD : REGULAR, size);
        content.newLineAtOffset(x, page.getMediaBox().getHeight() - top);
        content.showText(text);
        content.endText();
        return this;
    }

    /** Text drawn turned by the given degrees (counter-clockwise) about its start. */
    public PlacedPdf turnedText(float x, float top, float size, int degrees, String text) throws IOException {
        content.beginText();
        content.setFont(REGULAR, size);
        Matrix matrix = Matrix.getRotateInstance(Math.toRadians(degrees), x, page.getMediaBox().getHeight() - top);
        content.setTextMatrix(matrix);
        content.showText(text);
        content.endText();
        return this;
    }

    /** A filled disc of the given diameter centred at (x, top), as browsers draw list bullets. */
    public PlacedPdf disc(float x, float top, float diameter) throws IOException {
        float r = diameter / 2;
        float cy = page.getMediaBox().getHeight() - top;
        float k = 0.552f * r;
        content.moveTo(x + r, cy);
        content.curveTo(x + r, cy + k, x + k, cy + r, x, cy + r);
        content.curveTo(x - k, cy + r, x - r, cy + k, x - r, cy);
        content.curveTo(x - r, cy - k, x - k, cy - r, x, cy - r);
        content.curveTo(x + k, cy - r, x + r, cy - k, x + r, cy);
        content.closePath();
        content.fill();
        return this;
    }

    public PlacedPdf image(BufferedImage image, float x, float top, float width, float height) throws IOException {
        PDImageXObject object = LosslessFactory.createFromImage(document, image);
        content.drawImage(object, x, page.getMediaBox().getHeight() - top - height, width, height);
        return this;
    }

    /** Wraps text into lines of at most width points, each placed leading points below the last; returns the next top. */
    public float paragraph(float x, float top, float width, float size, float leading, String text) throws IOException {
        StringBuilder line = new StringBuilder();
        float y = top;
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (!line.isEmpty() && REGULAR.getStringWidth(candidate) / 1000 * size > width) {
                text(x, y, size, line.toString());
                y += leading;
                line = new StringBuilder(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        if (!line.isEmpty()) {
            text(x, y, size, line.toString());
            y += leading;
        }
        return y;
    }

    /** Names the program that wrote the PDF, as its document information does. */
    public PlacedPdf producer(String producer) {
        document.getDocumentInformation().setProducer(producer);
        return this;
    }

    public byte[] bytes() throws IOException {
        closeContent();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            document.save(out);
            return out.toByteArray();
        }
    }

    private void closeContent() throws IOException {
        if (content != null) {
            content.close();
            content = null;
        }
    }

    @Override
    public void close() throws IOException {
        closeContent();
        document.close();
    }
}
