package ai.kaaj.documents;

import ai.kaaj.engine.Interruption;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.io.RandomAccessStreamCache.StreamCacheCreateFunction;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text of a document page by page: a PDF's text layer through PDFBox, and OCR for a page
 * whose text layer is (nearly) empty but which carries images, i.e. a scanned page. Every page is
 * read within the limits: what a page draws is counted while PDFBox parses it, a page is rendered for
 * OCR only within the pixel budget (images decoded at the rendering's resolution, so a 600-dpi scan
 * is read at 300 dpi), and PDFBox keeps decoded streams in scratch files rather than on the heap.
 * ReaderProcess runs this in a child JVM, so a document that still exhausts memory costs only itself.
 */
public final class PdfText {

    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    /** PDFBox's scratch buffers in temporary files (under java.io.tmpdir), not on the heap. */
    private static final StreamCacheCreateFunction SCRATCH_FILES = IOUtils.createTempFileOnlyStreamCache();

    private final Ocr ocr;
    private final int ocrDpi;
    private final int minTextChars;
    private final DocumentLimits limits;

    public PdfText(Ocr ocr, int ocrDpi, int minTextChars, DocumentLimits limits) {
        this.ocr = ocr;
        this.ocrDpi = ocrDpi;
        this.minTextChars = minTextChars;
        this.limits = limits;
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
        try (PDDocument document = open(new RandomAccessReadBuffer(content), fileName)) {
            return document.getNumberOfPages();
        } catch (IOException e) {
            throw new DocumentException(fileName + " could not be read: " + e.getMessage());
        }
    }

    private static PDDocument open(RandomAccessRead source, String fileName) throws IOException {
        if (source.length() == 0) {
            source.close();
            throw new DocumentException(fileName + " is empty");
        }
        byte[] head = new byte[(int) Math.min(source.length(), 1024 + PDF_MAGIC.length)];
        int filled = 0;
        while (filled < head.length) {
            int read = source.read(head, filled, head.length - filled);
            if (read < 0) {
                break;
            }
            filled += read;
        }
        source.seek(0);
        if (!looksLikePdf(head)) {
            source.close();
            throw new DocumentException(fileName + " is not a PDF (it does not start with %PDF-)");
        }
        PDDocument document;
        try {
            document = Loader.loadPDF(source, null, null, null, SCRATCH_FILES);
        } catch (InvalidPasswordException e) {
            IOUtils.closeQuietly(source);
            throw new DocumentException(fileName + " is encrypted with a password; upload an unprotected copy");
        } catch (IOException e) {
            IOUtils.closeQuietly(source);
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

    /** The pages of a PDF held in memory. */
    public List<PageText> pages(byte[] content, String fileName) {
        return read(new RandomAccessReadBuffer(content), fileName);
    }

    /** The pages of a PDF file, read from the file as PDFBox needs it rather than loaded whole. */
    public List<PageText> pages(Path file, String fileName) {
        try {
            return read(new RandomAccessReadBufferedFile(file.toFile()), fileName);
        } catch (IOException e) {
            throw new DocumentException(fileName + " could not be read: " + e.getMessage());
        }
    }

    private List<PageText> read(RandomAccessRead source, String fileName) {
        try (PDDocument document = open(source, fileName)) {
            limits.checkPages(fileName, document.getNumberOfPages());
            limits.checkObjects(fileName, document.getDocument().getXrefTable().size());
            LayoutStripper stripper = new LayoutStripper(limits, fileName, PageReading.drawsInReadingOrder(document));
            PDFRenderer renderer = null;
            List<PageText> pages = new ArrayList<>();
            long chars = 0;
            for (int index = 0; index < document.getNumberOfPages(); index++) {
                Interruption.check();
                stripper.startPage(index + 1);
                String text = stripper.getText(document);
                PDPage page = document.getPage(index);
                if (visibleChars(text) < minTextChars && hasImages(page)) {
                    if (renderer == null) {
                        renderer = new PDFRenderer(document);
                        // images are decoded at the resolution they are drawn at, not their own
                        renderer.setSubsamplingAllowed(true);
                    }
                    checkRenderSize(page, index + 1, fileName);
                    BufferedImage image = renderer.renderImageWithDPI(index, ocrDpi, ImageType.GRAY);
                    PageLayout layout = ocr.recogniseLayout(image, index + 1, ocrDpi);
                    text = layout.text();
                    pages.add(new PageText(index + 1, "ocr", text, layout));
                } else {
                    pages.add(new PageText(index + 1, "text", text, stripper.layout()));
                }
                chars += text.length();
                limits.checkChars(fileName, chars);
            }
            return pages;
        } catch (IOException e) {
            throw new DocumentException(fileName + " could not be read: " + e.getMessage());
        }
    }

    /** The size PDFRenderer gives the page at the OCR resolution (it renders the crop box, rotated or not). */
    private void checkRenderSize(PDPage page, int pageNumber, String fileName) {
        PDRectangle box = page.getCropBox();
        float scale = ocrDpi / 72f;
        long width = Math.max((long) Math.floor(box.getWidth() * scale), 1);
        long height = Math.max((long) Math.floor(box.getHeight() * scale), 1);
        limits.checkRender(fileName, pageNumber, width, height);
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
