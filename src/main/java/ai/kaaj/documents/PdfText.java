package ai.kaaj.documents;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text of a document page by page: a PDF's text layer through PDFBox, and OCR for a page
 * whose text layer is (nearly) empty but which carries images, i.e. a scanned page.
 */
public final class PdfText {

    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);

    private final Ocr ocr;
    private final int ocrDpi;
    private final int minTextChars;

    public PdfText(Ocr ocr, int ocrDpi, int minTextChars) {
        this.ocr = ocr;
        this.ocrDpi = ocrDpi;
        this.minTextChars = minTextChars;
    }

    public static boolean looksLikePdf(byte[] content) {
        if (content.length < PDF_MAGIC.length) {
            return false;
        }
        // The header may follow a few bytes of junk; readers accept it within the first 1024 bytes.
        int limit = Math.min(content.length - PDF_MAGIC.length, 1024);
        for (int start = 0; start <= limit; start++) {
            if (matchesAt(content, start)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(byte[] content, int start) {
        for (int i = 0; i < PDF_MAGIC.length; i++) {
            if (content[start + i] != PDF_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Opens the PDF to check it can be read (ingestion calls this before storing) and returns its page count.
     * Throws DocumentException naming the problem: not a PDF, damaged, encrypted, no pages.
     */
    public static int check(byte[] content, String fileName) {
        try (PDDocument document = open(content, fileName)) {
            return document.getNumberOfPages();
        } catch (IOException e) {
            throw new DocumentException(fileName + " could not be read: " + e.getMessage());
        }
    }

    private static PDDocument open(byte[] content, String fileName) {
        if (content.length == 0) {
            throw new DocumentException(fileName + " is empty");
        }
        if (!looksLikePdf(content)) {
            throw new DocumentException(fileName + " is not a PDF (it does not start with %PDF-)");
        }
        PDDocument document;
        try {
            document = Loader.loadPDF(content);
        } catch (InvalidPasswordException e) {
            throw new DocumentException(fileName + " is encrypted with a password; upload an unprotected copy");
        } catch (IOException e) {
            throw new DocumentException(fileName + " is damaged or truncated and cannot be read as a PDF ("
                    + e.getMessage() + ")");
        }
        if (document.isEncrypted() && !document.getCurrentAccessPermission().canExtractContent()) {
            closeQuietly(document);
            throw new DocumentException(fileName + " is encrypted and does not allow its text to be extracted; "
                    + "upload an unprotected copy");
        }
        if (document.getNumberOfPages() == 0) {
            closeQuietly(document);
            throw new DocumentException(fileName + " has no pages");
        }
        return document;
    }

    public List<PageText> pages(byte[] content, String fileName) {
        try (PDDocument document = open(content, fileName)) {
            LayoutStripper stripper = new LayoutStripper();
            PDFRenderer renderer = null;
            List<PageText> pages = new ArrayList<>();
            for (int index = 0; index < document.getNumberOfPages(); index++) {
                stripper.setStartPage(index + 1);
                stripper.setEndPage(index + 1);
                String text = stripper.getText(document);
                if (visibleChars(text) < minTextChars && hasImages(document.getPage(index))) {
                    if (renderer == null) {
                        renderer = new PDFRenderer(document);
                    }
                    BufferedImage image = renderer.renderImageWithDPI(index, ocrDpi, ImageType.GRAY);
                    PageLayout layout = ocr.recogniseLayout(image, index + 1, ocrDpi);
                    pages.add(new PageText(index + 1, "ocr", layout.text(), layout));
                } else {
                    pages.add(new PageText(index + 1, "text", text, stripper.layout()));
                }
            }
            return pages;
        } catch (IOException e) {
            throw new DocumentException(fileName + " could not be read: " + e.getMessage());
        }
    }

    static int visibleChars(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                count++;
            }
        }
        return count;
    }

    private static boolean hasImages(PDPage page) {
        PDResources resources = page.getResources();
        if (resources == null) {
            return false;
        }
        return resources.getXObjectNames().iterator().hasNext();
    }

    private static void closeQuietly(PDDocument document) {
        try {
            document.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
