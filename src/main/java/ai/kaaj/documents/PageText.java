package ai.kaaj.documents;

/**
 * The text of one page and how it was read: "text" (the PDF's text layer) or "ocr". {@code layout} holds the
 * page's blocks when the page was read from a PDF (null for plain-text documents); {@code text} is then
 * derived from it in reading order.
 */
public record PageText(int pageNumber, String method, String text, PageLayout layout) {

    public PageText(int pageNumber, String method, String text) {
        this(pageNumber, method, text, null);
    }
}
