package ai.kaaj.extraction;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;

public final class GuidelinePdfs {
    public static byte[] textPdf(String text) throws Exception {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String pageText : text.split("\f")) {
                PDPage page = new PDPage(PDRectangle.LETTER); doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText(); cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 10); cs.setLeading(13); cs.newLineAtOffset(50, 740);
                    for (String line : pageText.split("\n")) { for (int i = 0; i < line.length(); i += 100) { cs.showText(line.substring(i, Math.min(line.length(), i + 100)).replace("\u2013","-")); cs.newLine(); } if (line.isEmpty()) cs.newLine(); }
                    cs.endText();
                }
            }
            doc.save(out); return out.toByteArray();
        }
    }
    public static byte[] scannedPdf(String text) throws Exception {
        BufferedImage img = new BufferedImage(1700, 2200, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics(); g.setColor(Color.WHITE); g.fillRect(0,0,1700,2200); g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 34)); int y = 150;
        for (String line : text.split("\n")) { g.drawString(line, 120, y); y += 50; }
        g.dispose();
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage(PDRectangle.LETTER); doc.addPage(page);
            var image = LosslessFactory.createFromImage(doc, img);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) { cs.drawImage(image, 0, 0, PDRectangle.LETTER.getWidth(), PDRectangle.LETTER.getHeight()); }
            doc.save(out); return out.toByteArray();
        }
    }
}
