package ai.kaaj.documents;

import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Box;
import ai.kaaj.documents.PageLayout.Cell;
import ai.kaaj.documents.PageLayout.Kind;
import ai.kaaj.documents.PageLayout.Line;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Groups a page's words into lines and blocks in reading order, the same way for a PDF's text layer and for
 * OCR word boxes.
 *
 * <p>Words are first gathered into rows across the whole page (words whose vertical centres agree). Vertical
 * corridors of white space are then found: an x-range left empty by a run of consecutive rows with text on
 * both sides of it. A corridor is a <b>column gutter</b> when the text on its two sides does not read as one
 * row (the lines do not line up, the right side is a list of bullets, or both sides are full lines of prose);
 * the page part it runs through is then split there and each side is read on its own, left before right, so
 * side-by-side columns are never merged into one line, whatever their alignment. Otherwise the corridors
 * separate the <b>cells</b> of table rows. Rows outside any corridor are lines, grouped into headings,
 * paragraphs and bullet items by font size and weight, bullet markers, indentation and vertical gaps.
 */
final class LayoutBuilder {

    /** A run of rows is broken by vertical white space taller than this many body-text sizes. */
    private static final float SECTION_GAP = 2.0f;
    /** Column gaps narrower than this many body-text sizes are word gaps (3 spaces are about 0.83). */
    private static final float MIN_GAP = 0.8f;
    /** Nested splits a page may make before the rest of it is read as plain lines. */
    private static final int MAX_DEPTH = 60;
    private static final float EPSILON = 0.5f;

    /** A bullet marker alone ("•", "-", "1.", "a)", "(ii)") or glued to the item's first word ("•Cannabis"). */
    private static final Pattern BULLET_MARKER = Pattern.compile(
            "[•▪■●◦○‣∙·➢➤►✓✔\\uf0b7\\uf0a7\\uf0d8\\uf076\\uf0fc\\-*–—]|\\(?\\d{1,2}[.)]|\\(?[a-zA-Z][.)]"
                    + "|\\([ivxIVX]{1,4}\\)");
    /** Marker glyphs that may touch the item's text; Symbol and Wingdings bullets map to private-use code points. */
    private static final String GLUED_BULLETS = "•▪■●◦○‣∙➢➤►✓✔\uf0b7\uf0a7\uf0d8\uf076\uf0fc";

    private record Row(List<TextWord> words, float top, float bottom) {

        float x0() {
            return words.get(0).x0();
        }

        float x1() {
            float x1 = Float.NEGATIVE_INFINITY;
            for (TextWord word : words) {
                x1 = Math.max(x1, word.x1());
            }
            return x1;
        }
    }

    /** White space from x lo to hi in rows first..last of a region (inclusive). */
    private record Corridor(float lo, float hi, int first, int last) {
    }

    private enum Split { GUTTER, CELLS, NONE }

    private final int page;
    private final float bodySize;
    private final boolean bodyBold;
    private final float minGap;
    /** The page's usual white space between one line and the next; a paragraph break is clearly more. */
    private final float lineGap;
    private final List<Block> blocks = new ArrayList<>();
    private int bandCount;
    /** Gutter x positions of the band being read, null outside columns. */
    private List<Float> bandGutters;

    private LayoutBuilder(int page, float bodySize, boolean bodyBold, float lineGap) {
        this.page = page;
        this.bodySize = bodySize;
        this.bodyBold = bodyBold;
        this.minGap = MIN_GAP * bodySize;
        this.lineGap = lineGap;
    }

    /** The page's layout from its words (see {@link #words} to make words out of glyphs). */
    static PageLayout layout(int page, float width, float height, List<TextWord> words) {
        float body = bodySize(words);
        List<Row> rows = rows(words);
        LayoutBuilder builder = new LayoutBuilder(page, body, bodyBold(words, body), lineGap(rows));
        builder.read(rows, 0);
        return new PageLayout(page, width, height, body, List.copyOf(builder.blocks));
    }

    /**
     * The white space between one row and the next that most lines have: the lower quartile of the gaps, as
     * on most pages lines outnumber paragraph breaks, but not by much on sparse ones.
     */
    private static float lineGap(List<Row> rows) {
        float[] gaps = new float[rows.size()];
        int count = 0;
        for (int i = 1; i < rows.size(); i++) {
            float gap = rows.get(i).top() - rows.get(i - 1).bottom();
            if (gap > 0) {
                gaps[count++] = gap;
            }
        }
        Arrays.sort(gaps, 0, count);
        return count == 0 ? 0 : gaps[count / 4];
    }

    /** Glyphs made into words: glyphs of one row that touch (less than 0.12 em apart) and are not spaces. */
    static List<TextWord> words(List<TextWord> glyphs) {
        List<TextWord> words = new ArrayList<>();
        for (Row row : rows(glyphs)) {
            StringBuilder text = new StringBuilder();
            TextWord first = null;
            TextWord last = null;
            float top = 0;
            float bottom = 0;
            for (TextWord glyph : row.words()) {
                boolean space = glyph.text().isBlank();
                boolean apart = last != null && glyph.x0() - last.x1() > 0.12f * Math.max(glyph.size(), last.size());
                if (first != null && (space || apart)) {
                    words.add(new TextWord(text.toString(), first.x0(), top, last.x1(), bottom, first.size(),
                            first.bold()));
                    text.setLength(0);
                    first = null;
                }
                if (space) {
                    last = null;
                    continue;
                }
                if (first == null) {
                    first = glyph;
                    top = glyph.top();
                    bottom = glyph.bottom();
                }
                text.append(glyph.text());
                top = Math.min(top, glyph.top());
                bottom = Math.max(bottom, glyph.bottom());
                last = glyph;
            }
            if (first != null) {
                words.add(new TextWord(text.toString(), first.x0(), top, last.x1(), bottom, first.size(),
                        first.bold()));
            }
        }
        return words;
    }

    /**
     * OCR words carry the height of their ink, which depends on their letters ("ace" is shorter than "Tiger"):
     * each word gets its row's ink height instead, and rows within 30% of the page's median row height are
     * taken as body text of that height, so that only clearly larger text reads as a heading.
     */
    static List<TextWord> withRowHeights(List<TextWord> words) {
        List<Row> rows = rows(words);
        float[] heights = new float[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            heights[i] = rows.get(i).bottom() - rows.get(i).top();
        }
        float body = median(heights);
        List<TextWord> sized = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            float size = Math.abs(heights[i] - body) <= 0.3f * body ? body : heights[i];
            for (TextWord word : rows.get(i).words()) {
                sized.add(new TextWord(word.text(), word.x0(), word.top(), word.x1(), word.bottom(), size, false));
            }
        }
        return sized;
    }

    /**
     * OCR reads a round bullet as whatever letter or sign it resembles ("e", "«", "¢", "°"), which then starts the
     * item's text ("e Cannabis"). By its box a bullet is plain: a small round blot, about half the height of the
     * word after it, set at that word's middle (a footnote's "*" sits at its top), a space before it, and
     * nothing close on its left. Such a mark becomes "•".
     */
    static List<TextWord> withBulletMarks(List<TextWord> words) {
        List<TextWord> out = new ArrayList<>(words.size());
        for (TextWord word : words) {
            out.add(isBulletBlot(word, words) ? new TextWord("•", word.x0(), word.top(), word.x1(), word.bottom(),
                    word.size(), word.bold()) : word);
        }
        return out;
    }

    private static boolean isBulletBlot(TextWord mark, List<TextWord> words) {
        String text = mark.text();
        float width = mark.x1() - mark.x0();
        float height = mark.height();
        if (text.length() > 2 || text.chars().anyMatch(Character::isDigit) || height <= 0 || width <= 0
                || width > 2 * height || height > 2 * width) {
            return false;
        }
        float center = mark.centerY();
        TextWord next = null;
        for (TextWord word : words) {
            boolean sameLine = word != mark && word.top() <= center && word.bottom() >= center;
            if (sameLine && word.x0() >= mark.x1() && (next == null || word.x0() < next.x0())) {
                next = word;
            }
        }
        if (next == null) {
            return false;
        }
        float size = next.height();
        float middle = (center - next.top()) / size;
        float gap = next.x0() - mark.x1();
        if (height > 0.6f * size || width > 0.6f * size || middle < 0.4f || middle > 0.8f
                || gap < 0.3f * width || gap > 3 * size) {
            return false;
        }
        for (TextWord word : words) {
            boolean before = word != mark && word.top() <= center && word.bottom() >= center
                    && word.x1() <= mark.x0() && word.x1() > mark.x0() - 2 * size;
            if (before) {
                return false;
            }
        }
        return true;
    }

    private static float median(float[] values) {
        if (values.length == 0) {
            return 0;
        }
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Items whose vertical centres agree within 0.4 of the taller one's height, top to bottom, each left to right. */
    private static List<Row> rows(List<TextWord> items) {
        List<TextWord> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble(TextWord::centerY));
        List<Row> rows = new ArrayList<>();
        List<TextWord> current = new ArrayList<>();
        float anchor = 0;
        float anchorHeight = 0;
        for (TextWord item : sorted) {
            if (!current.isEmpty()
                    && Math.abs(item.centerY() - anchor) > 0.4f * Math.max(anchorHeight, item.height())) {
                rows.add(row(current));
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                anchor = item.centerY();
                anchorHeight = item.height();
            }
            current.add(item);
        }
        if (!current.isEmpty()) {
            rows.add(row(current));
        }
        return rows;
    }

    private static Row row(List<TextWord> words) {
        words.sort(Comparator.comparingDouble(TextWord::x0));
        float top = Float.POSITIVE_INFINITY;
        float bottom = Float.NEGATIVE_INFINITY;
        for (TextWord word : words) {
            top = Math.min(top, word.top());
            bottom = Math.max(bottom, word.bottom());
        }
        return new Row(words, top, bottom);
    }

    /** The most common font size, weighted by characters, to the half point. */
    static float bodySize(List<TextWord> words) {
        Map<Float, Integer> chars = new HashMap<>();
        for (TextWord word : words) {
            chars.merge(Math.round(word.size() * 2) / 2f, word.text().length(), Integer::sum);
        }
        return chars.entrySet().stream().max(Map.Entry.<Float, Integer>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).filter(size -> size > 0).orElse(10f);
    }

    /** Whether the text set in the body size is mostly bold (then bold marks no heading). */
    static boolean bodyBold(List<TextWord> words, float body) {
        int bold = 0;
        int all = 0;
        for (TextWord word : words) {
            if (Math.abs(word.size() - body) <= 0.5f) {
                all += word.text().length();
                bold += word.bold() ? word.text().length() : 0;
            }
        }
        return bold * 2 > all;
    }

    /** Reads rows (top to bottom) into blocks: a column split, a table, or lines, whichever the corridors show. */
    private void read(List<Row> rows, int depth) {
        if (rows.isEmpty()) {
            return;
        }
        if (depth >= MAX_DEPTH) {
            lines(rows);
            return;
        }
        List<Corridor> corridors = corridors(rows);
        Corridor gutter = null;
        Corridor cells = null;
        for (Corridor corridor : corridors) {
            Split split = classify(corridor, rows);
            Corridor columns = split == Split.GUTTER ? columnRows(corridor, rows) : null;
            if (columns != null && (gutter == null || longer(columns, gutter))) {
                gutter = columns;
            } else if (split == Split.CELLS) {
                Corridor trimmed = trimmed(corridor, rows);
                if (trimmed != null && (cells == null || longer(trimmed, cells))) {
                    cells = trimmed;
                }
            }
        }
        if (gutter != null) {
            read(rows.subList(0, gutter.first()), depth + 1);
            readColumns(rows.subList(gutter.first(), gutter.last() + 1), gutter, depth);
            read(rows.subList(gutter.last() + 1, rows.size()), depth + 1);
        } else if (cells != null) {
            read(rows.subList(0, cells.first()), depth + 1);
            table(rows.subList(cells.first(), cells.last() + 1));
            read(rows.subList(cells.last() + 1, rows.size()), depth + 1);
        } else {
            lines(rows);
        }
    }

    /**
     * The rows a gutter really divides: from where both sides have begun to where either ends, widened by the
     * rows that follow on without a paragraph break. A title above or a box below the columns is read on its
     * own, before or after them. Null when one side ends before the other begins: text above text, no columns.
     */
    private Corridor columnRows(Corridor gutter, List<Row> rows) {
        int firstLeft = -1;
        int firstRight = -1;
        int lastLeft = -1;
        int lastRight = -1;
        for (int i = gutter.first(); i <= gutter.last(); i++) {
            if (rows.get(i).x0() < gutter.lo()) {
                firstLeft = firstLeft < 0 ? i : firstLeft;
                lastLeft = i;
            }
            if (rows.get(i).x1() > gutter.hi()) {
                firstRight = firstRight < 0 ? i : firstRight;
                lastRight = i;
            }
        }
        int first = Math.max(firstLeft, firstRight);
        int last = Math.min(lastLeft, lastRight);
        if (first > last) {
            return null;
        }
        while (first > gutter.first() && tight(rows.get(first - 1), rows.get(first), lineGap)) {
            first--;
        }
        while (last < gutter.last() && tight(rows.get(last), rows.get(last + 1), lineGap)) {
            last++;
        }
        return new Corridor(gutter.lo(), gutter.hi(), first, last);
    }

    /** The lower row follows the upper one without a paragraph break, lines being usually lineGap apart. */
    private static boolean tight(Row upper, Row lower, float lineGap) {
        float size = Math.min(dominantSize(upper.words()), dominantSize(lower.words()));
        return lower.top() - upper.bottom() <= Math.max(0.7f * size, 1.6f * lineGap);
    }

    private static boolean longer(Corridor a, Corridor b) {
        int runA = a.last() - a.first();
        int runB = b.last() - b.first();
        return runA > runB || runA == runB && a.hi() - a.lo() > b.hi() - b.lo();
    }

    /** The rows' words left of the gutter, then those right of it, each read as a region of its own. */
    private void readColumns(List<Row> rows, Corridor gutter, int depth) {
        boolean outermost = bandGutters == null;
        int start = blocks.size();
        if (outermost) {
            bandGutters = new ArrayList<>();
        }
        bandGutters.add((gutter.lo() + gutter.hi()) / 2);
        List<Row> left = new ArrayList<>();
        List<Row> right = new ArrayList<>();
        for (Row row : rows) {
            List<TextWord> leftWords = new ArrayList<>();
            List<TextWord> rightWords = new ArrayList<>();
            for (TextWord word : row.words()) {
                (word.x1() <= gutter.lo() + EPSILON ? leftWords : rightWords).add(word);
            }
            if (!leftWords.isEmpty()) {
                left.add(row(leftWords));
            }
            if (!rightWords.isEmpty()) {
                right.add(row(rightWords));
            }
        }
        read(left, depth + 1);
        read(right, depth + 1);
        if (outermost) {
            int band = ++bandCount;
            for (int i = start; i < blocks.size(); i++) {
                Block block = blocks.get(i);
                int column = 1;
                for (float x : bandGutters) {
                    column += x < block.bbox().x0() ? 1 : 0;
                }
                blocks.set(i, new Block(block.page(), block.kind(), band, column, block.bbox(), block.size(),
                        block.bold(), block.lines(), block.cells()));
            }
            bandGutters = null;
        }
    }

    /**
     * Every stretch of white space at least {@link #MIN_GAP} wide that stays empty over consecutive rows (not
     * across a section gap) with text on both sides of it somewhere in those rows.
     */
    private List<Corridor> corridors(List<Row> rows) {
        List<Corridor> found = new ArrayList<>();
        Collection<Corridor> open = List.of();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (i > 0 && row.top() - rows.get(i - 1).bottom() > SECTION_GAP * bodySize) {
                for (Corridor corridor : open) {
                    found.add(new Corridor(corridor.lo(), corridor.hi(), corridor.first(), i - 1));
                }
                open = List.of();
            }
            List<float[]> free = free(row);
            Map<Range, Corridor> next = new LinkedHashMap<>();
            for (Corridor corridor : open) {
                boolean continues = false;
                for (float[] gap : free) {
                    float lo = Math.max(corridor.lo(), gap[0]);
                    float hi = Math.min(corridor.hi(), gap[1]);
                    if (hi - lo >= minGap) {
                        addOpen(next, new Corridor(lo, hi, corridor.first(), i));
                        continues = true;
                    }
                }
                if (!continues) {
                    found.add(new Corridor(corridor.lo(), corridor.hi(), corridor.first(), i - 1));
                }
            }
            for (float[] gap : free) {
                addOpen(next, new Corridor(gap[0], gap[1], i, i));
            }
            open = next.values();
        }
        for (Corridor corridor : open) {
            found.add(new Corridor(corridor.lo(), corridor.hi(), corridor.first(), rows.size() - 1));
        }
        List<Corridor> interior = new ArrayList<>();
        for (Corridor corridor : found) {
            if (hasTextBothSides(corridor, rows)) {
                interior.add(corridor);
            }
        }
        return interior;
    }

    private record Range(float lo, float hi) {
    }

    /** Keeps one open corridor per x-range: the one that started earliest. */
    private static void addOpen(Map<Range, Corridor> open, Corridor corridor) {
        open.merge(new Range(corridor.lo(), corridor.hi()), corridor,
                (kept, added) -> added.first() < kept.first() ? added : kept);
    }

    /** The wide gaps of a row, including the open space before its first and after its last word. */
    private List<float[]> free(Row row) {
        List<float[]> free = new ArrayList<>();
        float edge = Float.NEGATIVE_INFINITY;
        TextWord previous = null;
        for (TextWord word : row.words()) {
            if (previous == null || word.x0() - edge >= minGap && wideGap(previous, word)) {
                free.add(new float[] {edge, word.x0()});
            }
            previous = word;
            edge = Math.max(edge, word.x1());
        }
        free.add(new float[] {edge, Float.POSITIVE_INFINITY});
        return free;
    }

    /**
     * Words further apart than a column gap at their size (larger text has wider word gaps); the space after a
     * bullet marker (under two of its sizes) belongs to its item, not to a column.
     */
    private static boolean wideGap(TextWord left, TextWord right) {
        float gap = right.x0() - left.x1();
        float size = Math.max(left.size(), right.size());
        return gap >= MIN_GAP * size && !(gap < 2 * size && isMarker(left.text()));
    }

    /** A bullet marker standing alone; the cheap tests first, as this runs for every wide gap. */
    private static boolean isMarker(String word) {
        int length = word.length();
        if (length == 0 || length > 5) {
            return false;
        }
        char last = word.charAt(length - 1);
        boolean possible = length == 1 ? !Character.isLetterOrDigit(last) : last == '.' || last == ')';
        return possible && BULLET_MARKER.matcher(word).matches();
    }

    private static boolean hasTextBothSides(Corridor corridor, List<Row> rows) {
        boolean left = false;
        boolean right = false;
        for (int i = corridor.first(); i <= corridor.last() && !(left && right); i++) {
            Row row = rows.get(i);
            left |= row.x0() < corridor.lo();
            right |= row.x1() > corridor.hi();
        }
        return left && right;
    }

    /** The corridor's rows from the first to the last that has text on both of its sides, or null if none does. */
    private static Corridor trimmed(Corridor corridor, List<Row> rows) {
        int first = -1;
        int last = -1;
        for (int i = corridor.first(); i <= corridor.last(); i++) {
            Row row = rows.get(i);
            if (row.x0() < corridor.lo() && row.x1() > corridor.hi()) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return first < 0 ? null : new Corridor(corridor.lo(), corridor.hi(), first, last);
    }

    /**
     * A gutter between columns, or a gap between table cells? Columns: the right side is a bullet list, the two
     * sides' lines do not pair up, or both sides are full lines of prose. One row alone of prose on both sides
     * is a widely spaced line.
     */
    private Split classify(Corridor corridor, List<Row> rows) {
        int leftRows = 0;
        int rightRows = 0;
        int both = 0;
        int bulletsRight = 0;
        int leftWords = 0;
        int rightWords = 0;
        int fullLeft = 0;
        float leftStart = Float.POSITIVE_INFINITY;
        for (int i = corridor.first(); i <= corridor.last(); i++) {
            leftStart = Math.min(leftStart, rows.get(i).x0());
        }
        float fullFrom = corridor.lo() - 0.2f * (corridor.lo() - leftStart);
        for (int i = corridor.first(); i <= corridor.last(); i++) {
            int left = 0;
            int right = 0;
            int nearLeft = 0;
            int nearRight = 0;
            float leftEnd = Float.NEGATIVE_INFINITY;
            TextWord firstRight = null;
            TextWord previous = null;
            for (TextWord word : rows.get(i).words()) {
                boolean apart = previous == null || wideGap(previous, word);
                if (word.x1() <= corridor.lo() + EPSILON) {
                    left++;
                    leftEnd = Math.max(leftEnd, word.x1());
                    nearLeft = apart ? 1 : nearLeft + 1;
                } else if (word.x0() >= corridor.hi() - EPSILON) {
                    right++;
                    if (firstRight == null) {
                        firstRight = word;
                        nearRight = 1;
                    } else if (nearRight > 0) {
                        nearRight = apart ? -nearRight : nearRight + 1;
                    }
                }
                previous = word;
            }
            leftWords += nearLeft;
            rightWords += Math.abs(nearRight);
            leftRows += left > 0 ? 1 : 0;
            rightRows += right > 0 ? 1 : 0;
            both += left > 0 && right > 0 ? 1 : 0;
            fullLeft += leftEnd >= fullFrom ? 1 : 0;
            bulletsRight += firstRight != null && isBullet(firstRight.text()) ? 1 : 0;
        }
        // Prose: the lines on each side next to the corridor run on for several words without a wide gap.
        boolean prose = leftRows > 0 && rightRows > 0 && leftWords >= 4 * leftRows && rightWords >= 4 * rightRows;
        if (corridor.first() == corridor.last()) {
            return prose ? Split.NONE : Split.CELLS;
        }
        if (bulletsRight >= 2 && bulletsRight * 2 >= rightRows) {
            return Split.GUTTER;
        }
        if (both < 0.7f * Math.min(leftRows, rightRows)) {
            return Split.GUTTER;
        }
        if (prose && fullLeft >= 0.6f * leftRows) {
            return Split.GUTTER;
        }
        return Split.CELLS;
    }

    static boolean isBullet(String word) {
        return isMarker(word) || word.length() > 1 && GLUED_BULLETS.indexOf(word.charAt(0)) >= 0;
    }

    /** Rows of a table: cells between the corridors the rows share; a tight row with no first cell continues the one above. */
    private void table(List<Row> rows) {
        List<float[]> bounds = new ArrayList<>();
        for (Corridor corridor : corridors(rows)) {
            if (corridor.first() == 0 && corridor.last() == rows.size() - 1) {
                bounds.add(new float[] {corridor.lo(), corridor.hi()});
            }
        }
        bounds.sort(Comparator.comparingDouble(b -> b[0]));
        float tableX0 = Float.POSITIVE_INFINITY;
        float tableX1 = Float.NEGATIVE_INFINITY;
        for (Row row : rows) {
            tableX0 = Math.min(tableX0, row.x0());
            tableX1 = Math.max(tableX1, row.x1());
        }
        int columns = bounds.size() + 1;
        List<Cell> cells = null;
        List<Line> lines = null;
        Row previous = null;
        float size = 0;
        boolean bold = false;
        for (Row row : rows) {
            List<List<TextWord>> byColumn = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                byColumn.add(new ArrayList<>());
            }
            for (TextWord word : row.words()) {
                int c = 0;
                while (c < bounds.size() && word.centerX() > bounds.get(c)[1]) {
                    c++;
                }
                byColumn.get(c).add(word);
            }
            boolean continues = previous != null && byColumn.get(0).isEmpty()
                    && row.top() - previous.bottom() <= 0.3f * bodySize
                    && (cells.size() == columns);
            if (!continues && cells != null) {
                addBlock(Kind.TABLE_ROW, lines, cells, size, bold);
            }
            if (!continues) {
                cells = new ArrayList<>();
                lines = new ArrayList<>();
                size = dominantSize(row.words());
                bold = mostlyBold(row.words());
            }
            List<String> lineCells = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                List<TextWord> words = byColumn.get(c);
                String text = cap(joined(words));
                lineCells.add(text);
                float lo = c == 0 ? tableX0 : bounds.get(c - 1)[1];
                float hi = c == columns - 1 ? tableX1 : bounds.get(c)[0];
                Box box = words.isEmpty() ? new Box(lo, row.top(), Math.max(lo, hi), row.bottom()) : box(words);
                if (!continues) {
                    cells.add(new Cell(box, text));
                } else if (!text.isEmpty()) {
                    Cell above = cells.get(c);
                    String merged = above.text().isEmpty() ? text : cap(above.text() + " " + text);
                    cells.set(c, new Cell(above.text().isEmpty() ? box : above.bbox().union(box), merged));
                }
            }
            lines.add(new Line(box(row.words()), cap(String.join(" | ", lineCells))));
            previous = row;
        }
        addBlock(Kind.TABLE_ROW, lines, cells, size, bold);
    }

    /**
     * Rows without columns or cells: each a line, grouped into headings, bullet items and paragraphs. A column
     * may be set looser than the rest of the page: with enough lines, its own usual line gap counts.
     */
    private void lines(List<Row> rows) {
        float usualGap = rows.size() > 4 ? lineGap(rows) : lineGap;
        Kind kind = null;
        List<Line> lines = new ArrayList<>();
        int chars = 0;
        float size = 0;
        boolean bold = false;
        Row previous = null;
        float itemX0 = 0;
        for (Row row : rows) {
            float rowSize = dominantSize(row.words());
            boolean rowBold = mostlyBold(row.words());
            String first = row.words().get(0).text();
            Kind rowKind = isBullet(first) && (row.words().size() > 1 || first.length() > 1) ? Kind.BULLET
                    : isHeading(row, rowSize, rowBold) ? Kind.HEADING : Kind.PARAGRAPH;
            boolean close = previous != null && tight(previous, row, usualGap)
                    && switch (rowKind) {
                        case PARAGRAPH -> kind == Kind.PARAGRAPH && Math.abs(rowSize - size) <= 0.15f * size
                                || kind == Kind.BULLET && row.x0() > itemX0 + 0.3f * rowSize;
                        case HEADING -> kind == Kind.HEADING && Math.abs(rowSize - size) <= 0.5f && rowBold == bold
                                && lines.size() < 3;
                        default -> false;
                    };
            if (!close) {
                if (!lines.isEmpty()) {
                    addBlock(kind, lines, List.of(), size, bold);
                }
                lines = new ArrayList<>();
                chars = 0;
                kind = rowKind;
                size = rowSize;
                bold = rowBold;
                itemX0 = row.x0();
            }
            for (Line line : rowLines(row)) {
                if (lines.size() >= PageLayout.MAX_BLOCK_LINES
                        || chars + line.text().length() > PageLayout.MAX_BLOCK_CHARS) {
                    // A block too long for one piece goes on in a further block of the same kind.
                    addBlock(kind, lines, List.of(), size, bold);
                    lines = new ArrayList<>();
                    chars = 0;
                }
                lines.add(line);
                chars += line.text().length();
            }
            previous = row;
        }
        if (!lines.isEmpty()) {
            addBlock(kind, lines, List.of(), size, bold);
        }
    }

    /** Larger than the body text, bold when the body is not, or a short line in capitals; never a sentence. */
    private boolean isHeading(Row row, float size, boolean bold) {
        String text = joined(row.words());
        if (row.words().size() > 14 || text.endsWith(".") || text.endsWith(",")) {
            return false;
        }
        if (size >= 1.18f * bodySize || bold && !bodyBold && row.words().size() <= 12) {
            return true;
        }
        int letters = 0;
        int upper = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            letters += Character.isLetter(c) ? 1 : 0;
            upper += Character.isUpperCase(c) ? 1 : 0;
        }
        return letters >= 5 && upper == letters && row.words().size() <= 8;
    }

    /** A row as one line, or several when its text would pass the line cap. */
    private static List<Line> rowLines(Row row) {
        List<Line> lines = new ArrayList<>();
        List<TextWord> current = new ArrayList<>();
        int length = 0;
        for (TextWord word : row.words()) {
            // Counting three characters per gap: joined() may write a wide gap as three spaces.
            int added = Math.min(word.text().length(), PageLayout.MAX_LINE_CHARS) + (current.isEmpty() ? 0 : 3);
            if (!current.isEmpty() && length + added > PageLayout.MAX_LINE_CHARS) {
                lines.add(new Line(box(current), joined(current)));
                current = new ArrayList<>();
                length = 0;
                added -= 3;
            }
            current.add(word);
            length += added;
        }
        lines.add(new Line(box(current), cap(joined(current))));
        return lines;
    }

    private void addBlock(Kind kind, List<Line> lines, List<Cell> cells, float size, boolean bold) {
        Box bbox = Box.union(lines.stream().map(Line::bbox).toList());
        blocks.add(new Block(page, kind, 0, 0, bbox, size, bold, List.copyOf(lines), List.copyOf(cells)));
    }

    /** Words joined by a space, or by three where they stand a column gap apart, as a text layer spaces them. */
    private static String joined(List<TextWord> words) {
        StringBuilder text = new StringBuilder();
        TextWord previous = null;
        for (TextWord word : words) {
            if (previous != null) {
                text.append(wideGap(previous, word) ? "   " : " ");
            }
            text.append(word.text());
            previous = word;
        }
        return text.toString();
    }

    private static String cap(String text) {
        return text.length() <= PageLayout.MAX_LINE_CHARS ? text : text.substring(0, PageLayout.MAX_LINE_CHARS);
    }

    private static Box box(List<TextWord> words) {
        float x0 = Float.POSITIVE_INFINITY;
        float y0 = Float.POSITIVE_INFINITY;
        float x1 = Float.NEGATIVE_INFINITY;
        float y1 = Float.NEGATIVE_INFINITY;
        for (TextWord word : words) {
            x0 = Math.min(x0, word.x0());
            y0 = Math.min(y0, word.top());
            x1 = Math.max(x1, word.x1());
            y1 = Math.max(y1, word.bottom());
        }
        return new Box(x0, y0, x1, y1);
    }

    /** The size most of the words' characters are set in. */
    private static float dominantSize(List<TextWord> words) {
        Map<Float, Integer> chars = new HashMap<>();
        for (TextWord word : words) {
            chars.merge(word.size(), word.text().length(), Integer::sum);
        }
        return chars.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0f);
    }

    private static boolean mostlyBold(List<TextWord> words) {
        int bold = 0;
        int all = 0;
        for (TextWord word : words) {
            all += word.text().length();
            bold += word.bold() ? word.text().length() : 0;
        }
        return bold >= 0.8f * all && all > 0;
    }
}
