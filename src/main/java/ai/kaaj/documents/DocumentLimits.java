package ai.kaaj.documents;

import java.util.Locale;

/**
 * How much of a document is read before it is refused, so that no document can take more memory or
 * time than these allow: pages, characters and drawing operations a page may hold, characters in all,
 * objects in the file, and the pixels a page may be rendered at for OCR.
 */
public record DocumentLimits(int maxPages, int maxPageChars, int maxPageOperations, int maxChars, int maxObjects,
                             int ocrMaxMegapixels) {

    public void checkPages(String fileName, int pages) {
        if (pages > maxPages) {
            throw new DocumentException(fileName + " has " + number(pages) + " pages; the limit is " + number(maxPages));
        }
    }

    public void checkObjects(String fileName, int objects) {
        if (objects > maxObjects) {
            throw new DocumentException(fileName + " holds " + number(objects) + " objects; the limit is "
                    + number(maxObjects));
        }
    }

    /** The characters a page holds (or draws while it is read), counted as they come. */
    public void checkPageChars(String fileName, int page, long chars) {
        if (chars > maxPageChars) {
            throw new DocumentException("page " + page + " of " + fileName + " holds more than " + number(maxPageChars)
                    + " characters; the limit is " + number(maxPageChars) + " a page");
        }
    }

    public void checkPageOperations(String fileName, int page, long operations) {
        if (operations > maxPageOperations) {
            throw new DocumentException("page " + page + " of " + fileName + " has more than "
                    + number(maxPageOperations) + " drawing operations; the limit is " + number(maxPageOperations)
                    + " a page");
        }
    }

    public void checkChars(String fileName, long chars) {
        if (chars > maxChars) {
            throw new DocumentException(fileName + " holds more than " + number(maxChars)
                    + " characters of text; the limit is " + number(maxChars));
        }
    }

    /** A page rendered for OCR at this size in pixels. */
    public void checkRender(String fileName, int page, long width, long height) {
        if (width * height > ocrMaxMegapixels * 1_000_000L) {
            throw new DocumentException("page " + page + " of " + fileName + " renders at " + width + "×" + height
                    + " px for OCR; the limit is " + ocrMaxMegapixels + " megapixels");
        }
    }

    static String number(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
