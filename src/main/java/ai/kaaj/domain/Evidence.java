package ai.kaaj.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Where one criteria value came from. A value read from a document has source "document", its page (1-based),
 * the quoted text it was read from (at most {@value #QUOTE_LIMIT} characters), and when known a locator
 * ("line 12", "line 4, column 'Tier B'") and a box [x0, y0, x1, y1] in PDF points for highlighting.
 * A value an operator typed in has source "manual" and nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evidence(String source, Integer page, String text, String locator, List<Double> box) {

    public static final String DOCUMENT = "document";
    public static final String MANUAL = "manual";
    /** Longest quote kept: enough for a table row or a bullet, never a page. */
    public static final int QUOTE_LIMIT = 240;

    public static final Evidence ENTERED_BY_HAND = new Evidence(MANUAL, null, null, null, null);

    public Evidence {
        text = cap(text, QUOTE_LIMIT);
        locator = cap(locator, QUOTE_LIMIT);
    }

    /** Evidence from a page of the document. */
    public static Evidence onPage(int page, String text, String locator) {
        return new Evidence(DOCUMENT, page, text, locator, null);
    }

    @JsonIgnore
    public boolean manual() {
        return MANUAL.equals(source);
    }

    /** How a sentence cites it: ' (page 1: "650+ PayNet, 670+ FICO")'; "" for manual or unplaced evidence. */
    public String citation() {
        if (manual() || text == null) {
            return "";
        }
        return " (" + (page == null ? "" : "page " + page + ": ") + "\"" + text + "\")";
    }

    /** The text cut to at most limit characters, an ellipsis marking the cut; whitespace runs made one space. */
    public static String cap(String text, int limit) {
        if (text == null) {
            return null;
        }
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= limit ? flat : flat.substring(0, limit - 1) + "…";
    }
}
