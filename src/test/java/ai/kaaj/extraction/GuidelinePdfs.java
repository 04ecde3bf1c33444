package ai.kaaj.extraction;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Real PDFs made in tests: text PDFs with a text layer (pages split at form feeds, long lines wrapped,
 * a new page when one fills up), and scanned PDFs whose pages are images only, for OCR.
 */
public final class GuidelinePdfs {

    private static final PDRectangle PAGE = PDRectangle.LETTER;
    private static final float MARGIN = 54;
    private static final float FONT_SIZE = 10.5f;
    private static final float LEADING = 14;
    /** Scanned pages: letter size at 200 dpi, text large enough for tesseract to read reliably. */
    private static final int SCAN_WIDTH = 1700;
    private static final int SCAN_HEIGHT = 2200;
    private static final int SCAN_FONT = 34;
    private static final int SCAN_LEADING = 52;

    private GuidelinePdfs() {
    }

    public static byte[] textPdf(String text) throws IOException {
        PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        float width = PAGE.getWidth() - 2 * MARGIN;
        int linesPerPage = (int) ((PAGE.getHeight() - 2 * MARGIN) / LEADING);
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String pageText : text.split("\f", -1)) {
                List<String> lines = new ArrayList<>();
                for (String line : pageText.split("\n", -1)) {
                    lines.addAll(wrap(font, printable(line), width));
                }
                for (int start = 0; start < Math.max(1, lines.size()); start += linesPerPage) {
                    writePage(document, font, lines.subList(Math.min(start, lines.size()),
                            Math.min(lines.size(), start + linesPerPage)));
                }
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static void writePage(PDDocument document, PDType1Font font, List<String> lines) throws IOException {
        PDPage page = new PDPage(PAGE);
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            content.beginText();
            content.setFont(font, FONT_SIZE);
            content.setLeading(LEADING);
            content.newLineAtOffset(MARGIN, PAGE.getHeight() - MARGIN);
            for (String line : lines) {
                content.showText(line);
                content.newLine();
            }
            content.endText();
        }
    }

    /** Helvetica's WinAnsi encoding has no en dash or bullet outside its table: keep what it can show. */
    private static String printable(String line) {
        return line.replace('\u2013', '-').replace('\u2014', '-').replace('\t', ' ')
                .replaceAll("[^\\x20-\\x7E\\u00A0-\\u00FF\\u2022]", "?");
    }

    private static List<String> wrap(PDType1Font font, String line, float width) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String word : line.split(" ", -1)) {
            String candidate = current.length() == 0 ? word : current + " " + word;
            if (current.length() > 0 && font.getStringWidth(candidate) / 1000 * FONT_SIZE > width) {
                out.add(current.toString());
                current = new StringBuilder(word);
            } else {
                current = new StringBuilder(candidate);
            }
        }
        out.add(current.toString());
        return out;
    }

    /** A PDF's text as the service reads it: positions sorted, pages joined with form feeds. */
    public static String text(byte[] pdf) throws IOException {
        try (PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            org.apache.pdfbox.text.PDFTextStripper stripper = new org.apache.pdfbox.text.PDFTextStripper();
            stripper.setSortByPosition(true);
            List<String> pages = new ArrayList<>();
            for (int page = 1; page <= document.getNumberOfPages(); page++) {
                stripper.setStartPage(page);
                stripper.setEndPage(page);
                pages.add(stripper.getText(document));
            }
            return String.join("\f", pages);
        }
    }

    /** One image-only page per form-feed-separated part: no text layer at all, as a scanner makes. */
    public static byte[] scannedPdf(String text) throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String pageText : text.split("\f")) {
                PDPage page = new PDPage(PAGE);
                document.addPage(page);
                PDImageXObject image = LosslessFactory.createFromImage(document, render(pageText));
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.drawImage(image, 0, 0, PAGE.getWidth(), PAGE.getHeight());
                }
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static BufferedImage render(String text) {
        BufferedImage image = new BufferedImage(SCAN_WIDTH, SCAN_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, SCAN_WIDTH, SCAN_HEIGHT);
        g.setColor(Color.BLACK);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, SCAN_FONT));
        int y = 150;
        for (String line : text.split("\n")) {
            for (String part : wrapChars(line, 80)) {
                g.drawString(part, 120, y);
                y += SCAN_LEADING;
            }
        }
        g.dispose();
        return image;
    }

    private static List<String> wrapChars(String line, int max) {
        List<String> out = new ArrayList<>();
        String rest = line;
        while (rest.length() > max) {
            int cut = rest.lastIndexOf(' ', max);
            cut = cut <= 0 ? max : cut;
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut).trim();
        }
        out.add(rest);
        return out;
    }
}
