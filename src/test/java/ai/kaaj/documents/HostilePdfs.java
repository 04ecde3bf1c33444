package ai.kaaj.documents;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.JPEGFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;

/**
 * The documents that took the service down (issue 15), made in the test: small files that expand
 * enormously when read, and large genuine ones a user will upload.
 */
public final class HostilePdfs {

    private HostilePdfs() {
    }

    /** About 4 KB: one compressed content stream that draws a million glyphs. */
    public static byte[] millionGlyphs() {
        String line = "(" + "W".repeat(1000) + ") Tj\n";
        String content = "BT /F1 1 Tf 0 0 Td\n" + line.repeat(1000) + "ET\n";
        return rawPdf(new float[] {612, 792}, "/Font << /F1 5 0 R >>", deflate(content.getBytes(StandardCharsets.US_ASCII)),
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
    }

    /** About 1.5 KB: a letter page showing one 20000×20000 px RGB image (1.2 GB decoded), whose data is cut short. */
    public static byte[] hugeImage() {
        byte[] pixels = deflate(new byte[3000]);
        return rawPdf(new float[] {612, 792}, "/XObject << /Im1 5 0 R >>",
                deflate("q 612 0 0 792 0 0 cm /Im1 Do Q\n".getBytes(StandardCharsets.US_ASCII)),
                "<< /Type /XObject /Subtype /Image /Width 20000 /Height 20000 /ColorSpace /DeviceRGB "
                        + "/BitsPerComponent 8 /Filter /FlateDecode /Length " + pixels.length + " >>", pixels);
    }

    /** Well under 1 KB: a 5000×5000 pt page with a tiny image and no text, which OCR would render at 20833² px. */
    public static byte[] hugePage() {
        byte[] pixels = deflate(new byte[3]);
        return rawPdf(new float[] {5000, 5000}, "/XObject << /Im1 5 0 R >>",
                deflate("q 10 0 0 10 0 0 cm /Im1 Do Q\n".getBytes(StandardCharsets.US_ASCII)),
                "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                        + "/Filter /FlateDecode /Length " + pixels.length + " >>", pixels);
    }

    /** A valid PDF of about 5 MB whose one page shows one line of five million characters. */
    public static byte[] fiveMegabyteLine() throws IOException {
        Random random = new Random(15);
        StringBuilder line = new StringBuilder(5_000_000);
        for (int i = 0; i < 5_000_000; i++) {
            line.append((char) ('a' + random.nextInt(26)));
        }
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page,
                    PDPageContentStream.AppendMode.OVERWRITE, false)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 10);
                content.newLineAtOffset(54, 700);
                content.showText(line.toString());
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    /**
     * A genuine colour scan of a letter page at 600 dpi (5100×6600 px, JPEG), as a scanner writes it:
     * the text in black on off-white paper, large enough for tesseract.
     */
    public static byte[] colourScan600Dpi(String text) throws IOException {
        BufferedImage scan = new BufferedImage(5100, 6600, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = scan.createGraphics();
        g.setColor(new Color(250, 247, 238));
        g.fillRect(0, 0, scan.getWidth(), scan.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(20, 20, 30));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 100));
        int y = 600;
        for (String line : text.split("\n")) {
            g.drawString(line, 450, y);
            y += 160;
        }
        g.dispose();
        byte[] jpeg = jpeg(scan, 0.6f);
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.LETTER);
            document.addPage(page);
            PDImageXObject image = JPEGFactory.createFromByteArray(document, jpeg);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.drawImage(image, 0, 0, PDRectangle.LETTER.getWidth(), PDRectangle.LETTER.getHeight());
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    /**
     * A one-page PDF written byte by byte, with a correct cross-reference table: catalog, pages, the page
     * (of the given size, with the given resources), its compressed content, and one more object
     * (object 5: a dictionary, or a stream when data is given).
     */
    private static byte[] rawPdf(float[] size, String resources, byte[] content, String fifthObject, byte[]... fifthData) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(out, "%PDF-1.7\n");
        offsets.add(out.size());
        write(out, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
        offsets.add(out.size());
        write(out, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
        offsets.add(out.size());
        write(out, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 " + (int) size[0] + " " + (int) size[1]
                + "] /Resources << " + resources + " >> /Contents 4 0 R >> endobj\n");
        offsets.add(out.size());
        write(out, "4 0 obj << /Length " + content.length + " /Filter /FlateDecode >> stream\n");
        out.writeBytes(content);
        write(out, "\nendstream endobj\n");
        offsets.add(out.size());
        if (fifthData.length == 0) {
            write(out, "5 0 obj " + fifthObject + " endobj\n");
        } else {
            write(out, "5 0 obj " + fifthObject + " stream\n");
            out.writeBytes(fifthData[0]);
            write(out, "\nendstream endobj\n");
        }
        int xref = out.size();
        write(out, "xref\n0 6\n0000000000 65535 f \n");
        for (int offset : offsets) {
            write(out, String.format("%010d 00000 n \n", offset));
        }
        write(out, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
