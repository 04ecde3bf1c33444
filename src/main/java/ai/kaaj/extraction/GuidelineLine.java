package ai.kaaj.extraction;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a guideline as the page shows it, in reading order: its page, its text (a table row's cells
 * joined by " | "), whether the page set it as a heading, and its box on the page in PDF points from the
 * top-left corner ({@code [x0, y0, x1, y1]}, null when the text had no layout, e.g. a .txt upload).
 */
public record GuidelineLine(int page, String text, boolean heading, double[] box) {

    /** Lines of plain text; a form feed starts a new page, as PDF text and OCR output write it. */
    public static List<GuidelineLine> ofText(String text) {
        List<GuidelineLine> out = new ArrayList<>();
        String[] pages = text.split("\f", -1);
        for (int page = 0; page < pages.length; page++) {
            for (String line : pages[page].split("\\r?\\n")) {
                out.add(new GuidelineLine(page + 1, line, false, null));
            }
        }
        return out;
    }
}
