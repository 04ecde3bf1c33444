package ai.kaaj.documents;

/** The text of one page and how it was read: "text" (the PDF's text layer) or "ocr". */
public record PageText(int pageNumber, String method, String text) {
}
