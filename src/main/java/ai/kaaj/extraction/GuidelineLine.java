package ai.kaaj.extraction;

import ai.kaaj.documents.PageLayout;
import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Kind;
import ai.kaaj.documents.PageText;

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

    /**
     * The lines of a read document: a page with a layout gives one line per heading, bullet item and table row
     * (its cells joined by " | "), and a paragraph's lines with its wrapped lines joined again; a page without
     * one gives its text's lines. A later page headed by the first page's top line (or that line's first cell), the
     * lender's name as a running header, does not read that header again: set as a heading it would start a part.
     */
    public static List<GuidelineLine> ofPages(List<PageText> pages) {
        List<GuidelineLine> out = new ArrayList<>();
        String runningHeader = null;
        for (PageText page : pages) {
            Block previous = null;
            if (page.layout() == null) {
                for (String line : page.text().split("\\r?\\n")) {
                    out.add(new GuidelineLine(page.pageNumber(), line, false, null));
                }
                continue;
            }
            List<Block> blocks = page.layout().blocks();
            if (blocks.isEmpty()) {
                continue;
            }
            Block top = blocks.get(0);
            if (runningHeader == null) {
                runningHeader = single(top.kind() == PageLayout.Kind.TABLE_ROW ? top.cells().get(0).text()
                        : top.lines().get(0).text());
            } else if (top.kind() != PageLayout.Kind.TABLE_ROW
                    && single(top.text()).equalsIgnoreCase(runningHeader)) {
                blocks = blocks.subList(1, blocks.size());
            }
            for (Block block : blocks) {
                switch (block.kind()) {
                    case HEADING -> out.add(whole(block, String.join(" ", texts(block)), true));
                    case BULLET -> out.add(whole(block, String.join(" ", texts(block)), false));
                    case TABLE_ROW -> out.add(whole(block, block.text(), false));
                    case PARAGRAPH -> {
                        List<GuidelineLine> lines = paragraph(block);
                        if (previous != null && continues(previous, lines.get(0).text())) {
                            // A numbered item's wrapped lines without a hanging indent, or a paragraph that goes on
                            // in the next text column: the lower-case start continues the unfinished sentence.
                            GuidelineLine last = out.remove(out.size() - 1);
                            GuidelineLine goesOn = lines.get(0);
                            lines.set(0, new GuidelineLine(last.page(), last.text().strip() + " " + goesOn.text().strip(),
                                    false, union(last.box(), goesOn.box())));
                        }
                        out.addAll(lines);
                    }
                }
                previous = block;
            }
        }
        return out;
    }

    /** Prose broken inside a name: "… every state except Louisiana, North" over "Dakota and Rhode Island." */
    private static final java.util.regex.Pattern BROKEN_NAME = java.util.regex.Pattern.compile("[a-z,]\\s+[A-Z][a-z]+$");

    /** A block's text ends a sentence, a label or a list item. */
    private static final java.util.regex.Pattern FINISHED = java.util.regex.Pattern.compile("[.:;!?)\\]\"”]\\s*$");

    /** Whether text that starts in lower case goes on from the paragraph or list item before it. */
    private static boolean continues(Block previous, String next) {
        return (previous.kind() == Kind.PARAGRAPH || previous.kind() == Kind.BULLET) && !next.isEmpty()
                && Character.isLowerCase(next.charAt(0)) && !FINISHED.matcher(previous.text()).find();
    }

    private static double[] union(double[] a, double[] b) {
        return a == null || b == null ? a : new double[] {Math.min(a[0], b[0]), Math.min(a[1], b[1]),
                Math.max(a[2], b[2]), Math.max(a[3], b[3])};
    }

    /** Text on one line, its spaces single. */
    private static String single(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    /** A line that stops mid-phrase: on a comma, a hyphen, a conjunction or a preposition. */
    private static final java.util.regex.Pattern UNFINISHED = java.util.regex.Pattern.compile(
            "(?:[,&/-]|\\b(?:and|or|of|to|the|a|an|in|for|with|by|on|at|from|than|per|least|most))$",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    private static List<String> texts(Block block) {
        return block.lines().stream().map(PageLayout.Line::text).toList();
    }

    private static GuidelineLine whole(Block block, String text, boolean heading) {
        return new GuidelineLine(block.page(), text, heading, box(block.bbox()));
    }

    /**
     * A paragraph's lines, each joined to the line it wraps onto: the next goes on in lower case, or this one fills
     * the block's width and stops mid-phrase ("… from", "… $20,000 to"). Lines of a list set without markers
     * ("5+ years in business" over "700+ FICO", "Restricted industries: …" over "Not available in: …") stay apart.
     */
    private static List<GuidelineLine> paragraph(Block block) {
        List<GuidelineLine> out = new ArrayList<>();
        float width = block.bbox().x1() - block.bbox().x0();
        StringBuilder text = new StringBuilder();
        PageLayout.Box box = null;
        List<PageLayout.Line> lines = block.lines();
        for (int i = 0; i < lines.size(); i++) {
            PageLayout.Line line = lines.get(i);
            String own = line.text().strip();
            // A word broken at the line's end ("weight-" over "loss clinics") is whole again.
            boolean broken = !text.isEmpty() && text.charAt(text.length() - 1) == '-';
            text.append(text.isEmpty() || broken ? "" : " ").append(own);
            box = box == null ? line.bbox() : box.union(line.bbox());
            String next = i + 1 < lines.size() ? lines.get(i + 1).text().strip() : "";
            boolean fills = line.bbox().x1() - line.bbox().x0() >= 0.85f * width;
            boolean wraps = !next.isEmpty() && (Character.isLowerCase(next.charAt(0)) || fills && UNFINISHED.matcher(own).find()
                    || fills && BROKEN_NAME.matcher(own).find() && Character.isUpperCase(next.charAt(0))
                    && !own.contains(":") && !next.contains(":"));
            if (!wraps) {
                out.add(new GuidelineLine(block.page(), text.toString(), false, box(box)));
                text.setLength(0);
                box = null;
            }
        }
        if (!text.isEmpty()) {
            out.add(new GuidelineLine(block.page(), text.toString(), false, box(box)));
        }
        return out;
    }

    private static double[] box(PageLayout.Box box) {
        return new double[] {box.x0(), box.y0(), box.x1(), box.y1()};
    }
}
