package ai.kaaj.documents;

import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Box;
import ai.kaaj.documents.PageLayout.Cell;
import ai.kaaj.documents.PageLayout.Kind;
import ai.kaaj.documents.PageLayout.Line;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A page's glyphs grouped into lines and blocks in the order the page draws them. Word processors, layout
 * programs and browsers draw a text frame, a table cell or a column whole before the next, so the drawing order
 * keeps side-by-side columns apart and reads a rate grid before the bullets beside it, where sorting the glyphs
 * by position would interleave them line by line. Geometry only decides where a line ends (the baseline moves
 * or the text goes back left), where a table row has cells (wide gaps), and what kind each block is (font size
 * and weight, bullet markers, vertical gaps).
 */
final class StreamLayout {

    /** Glyphs further apart than this many font sizes on one line are in different table cells. */
    private static final float CELL_GAP = 1.6f;
    /**
     * On a page that draws its spaces, glyphs further apart than this many font sizes with no space drawn between
     * them are in different table cells: a layout program draws a cell's words with their spaces and leaves only
     * the cell's padding between one cell and the next ("Standard" and "A" in narrow columns, 1.5 sizes apart).
     */
    private static final float UNSPACED_CELL_GAP = 0.6f;
    /** A page draws its spaces when at least this share of its glyphs are spaces (prose has about one in six). */
    private static final float DRAWN_SPACES = 0.05f;
    /** Glyphs further apart than this many font sizes are different words. */
    private static final float WORD_GAP = 0.12f;
    /** Lines further apart vertically than this many line heights start a new block. */
    private static final float BLOCK_GAP = 0.9f;

    private static final Pattern BULLET = Pattern.compile(
            "^(?:[•▪■●◦○‣∙·➢➤►✓✔\\uf0b7\\uf0a7\\uf0d8\\uf076\\uf0fc*–—-]|\\(?\\d{1,2}[.)]|\\(?[a-z][.)])\\s*\\S.*");

    /** One line as drawn: its cells (one unless it is a table row), font size and weight. */
    private record DrawnLine(List<Cell> cells, Box box, float size, boolean bold) {

        String text() {
            StringBuilder text = new StringBuilder();
            for (Cell cell : cells) {
                text.append(text.isEmpty() ? "" : " | ").append(cell.text());
            }
            return text.toString();
        }
    }

    private StreamLayout() {
    }

    /** The page's blocks from its glyphs in drawing order (spaces included or not). */
    static PageLayout layout(int page, float width, float height, List<TextWord> glyphs) {
        List<DrawnLine> lines = lines(glyphs);
        float body = LayoutBuilder.bodySize(glyphs);
        boolean bodyBold = LayoutBuilder.bodyBold(glyphs, body);
        List<Block> blocks = new ArrayList<>();
        List<DrawnLine> group = new ArrayList<>();
        Kind groupKind = null;
        for (DrawnLine line : lines) {
            Kind kind = kindOf(line, body, bodyBold);
            boolean continues = groupKind != null && !group.isEmpty() && continues(group, groupKind, line, kind);
            if (!continues) {
                flush(page, groupKind, group, blocks);
                groupKind = kind;
            }
            group.add(line);
        }
        flush(page, groupKind, group, blocks);
        return new PageLayout(page, width, height, body, List.copyOf(blocks));
    }

    private static Kind kindOf(DrawnLine line, float body, boolean bodyBold) {
        String text = line.text();
        if (line.cells().size() >= 2) {
            return Kind.TABLE_ROW;
        }
        boolean larger = line.size() >= 1.15f * body;
        boolean bolder = line.bold() && !bodyBold;
        // A numbered heading ("3. Collateral") is set larger or bolder than a numbered list's items.
        if ((larger || bolder) && text.length() <= 120 && !text.endsWith(".")) {
            return Kind.HEADING;
        }
        if (BULLET.matcher(text).matches()) {
            return Kind.BULLET;
        }
        return Kind.PARAGRAPH;
    }

    /** Whether a line goes on the block being built: the same kind, close below it, in the same column. */
    private static boolean continues(List<DrawnLine> group, Kind groupKind, DrawnLine line, Kind kind) {
        DrawnLine last = group.get(group.size() - 1);
        float lineHeight = Math.max(last.box().y1() - last.box().y0(), 1);
        float gap = line.box().y0() - last.box().y1();
        boolean below = gap >= -0.5f * lineHeight && gap <= BLOCK_GAP * lineHeight;
        boolean aligned = Math.abs(line.box().x0() - group.get(0).box().x0()) <= 2 * line.size()
                || line.box().x0() >= group.get(0).box().x0() && line.box().x0() <= group.get(0).box().x1();
        if (!below || !aligned || Math.abs(line.size() - last.size()) > 0.5f) {
            return false;
        }
        return switch (groupKind) {
            case HEADING -> kind == Kind.HEADING;
            // An item's wrapped lines sit right of its marker.
            case BULLET -> kind == Kind.PARAGRAPH && line.box().x0() > group.get(0).box().x0() + 0.5f;
            case PARAGRAPH -> kind == Kind.PARAGRAPH;
            case TABLE_ROW -> false;
        };
    }

    private static void flush(int page, Kind kind, List<DrawnLine> group, List<Block> blocks) {
        if (group.isEmpty()) {
            return;
        }
        List<Line> lines = new ArrayList<>();
        Box box = group.get(0).box();
        float size = 0;
        boolean bold = true;
        for (DrawnLine line : group) {
            lines.add(new Line(line.box(), cap(line.text())));
            box = box.union(line.box());
            size = Math.max(size, line.size());
            bold &= line.bold();
        }
        List<Cell> cells = kind == Kind.TABLE_ROW ? group.get(0).cells() : List.of();
        for (int from = 0; from < lines.size(); from += PageLayout.MAX_BLOCK_LINES) {
            List<Line> part = lines.subList(from, Math.min(lines.size(), from + PageLayout.MAX_BLOCK_LINES));
            blocks.add(new Block(page, kind, 0, 0, box, size, bold, List.copyOf(part), cells));
        }
        group.clear();
    }

    private static String cap(String text) {
        return text.length() <= PageLayout.MAX_LINE_CHARS ? text : text.substring(0, PageLayout.MAX_LINE_CHARS);
    }

    /**
     * Glyphs into lines in drawing order: a line ends where the baseline moves or the text goes back left; on
     * a line, a wide gap starts a new cell and a small one a new word. Tables draw a row cell by cell, and a
     * cell whose text wraps or is centred sits above or below its neighbours' baselines: text right of the cell
     * being read and level with the row is the row's next cell, and text under a cell of a row that already
     * has cells is that cell's next line, so such a row stays one line of cells.
     */
    private static List<DrawnLine> lines(List<TextWord> glyphs) {
        List<DrawnLine> lines = new ArrayList<>();
        List<List<TextWord>> cells = new ArrayList<>();
        List<TextWord> cell = new ArrayList<>();
        TextWord last = null;
        float rowTop = 0;
        float rowBottom = 0;
        float cellX1 = 0;
        long spaces = glyphs.stream().filter(glyph -> glyph.text().isBlank()).count();
        boolean drawsSpaces = spaces >= DRAWN_SPACES * glyphs.size();
        boolean spaced = false;
        for (TextWord glyph : glyphs) {
            if (glyph.text().isBlank()) {
                spaced = true;
                continue;
            }
            if (last != null && isFootnoteMark(glyph, last)) {
                continue;
            }
            if (last != null) {
                float size = Math.max(glyph.size(), last.size());
                boolean sameBaseline = Math.abs(glyph.bottom() - last.bottom()) <= 0.4f * size;
                boolean forward = glyph.x0() >= last.x1() - 0.3f * size;
                float cellX0 = cell.get(0).x0();
                boolean levelWithRow = glyph.top() < rowBottom - 0.2f * size && glyph.bottom() > rowTop + 0.2f * size;
                if (sameBaseline && forward) {
                    float gap = glyph.x0() - last.x1();
                    if (gap > CELL_GAP * size || drawsSpaces && !spaced && gap > UNSPACED_CELL_GAP * size) {
                        cells.add(cell);
                        cell = new ArrayList<>();
                    }
                } else if (levelWithRow && glyph.x0() > cellX1 + 0.5f * size) {
                    cells.add(cell);
                    cell = new ArrayList<>();
                } else if (!cells.isEmpty() && glyph.bottom() > last.bottom()
                        && glyph.bottom() - last.bottom() <= 2 * size
                        && glyph.x0() >= cellX0 - size && glyph.x0() <= cellX1) {
                    cell.add(new TextWord(" ", glyph.x0(), glyph.top(), glyph.x0(), glyph.bottom(), size, false));
                } else {
                    cells.add(cell);
                    lines.add(line(cells));
                    cells = new ArrayList<>();
                    cell = new ArrayList<>();
                }
            }
            if (cells.isEmpty() && cell.isEmpty()) {
                rowTop = glyph.top();
                rowBottom = glyph.bottom();
            } else {
                rowTop = Math.min(rowTop, glyph.top());
                rowBottom = Math.max(rowBottom, glyph.bottom());
            }
            cell.add(glyph);
            cellX1 = cell.size() == 1 ? glyph.x1() : Math.max(cellX1, glyph.x1());
            last = glyph;
            spaced = false;
        }
        if (!cell.isEmpty()) {
            cells.add(cell);
            lines.add(line(cells));
        }
        return lines;
    }

    /**
     * A footnote mark set small and raised right after the text it marks ("640+²", "$150,000¹"): left out, or
     * it would read as one more digit of the figure.
     */
    private static boolean isFootnoteMark(TextWord glyph, TextWord last) {
        return glyph.size() <= 0.8f * last.size() && glyph.bottom() < last.bottom() - 0.15f * last.size()
                && glyph.x0() - last.x1() < 0.3f * last.size() && glyph.text().matches("[0-9*†‡a-z]");
    }

    private static DrawnLine line(List<List<TextWord>> cellGlyphs) {
        List<Cell> cells = new ArrayList<>();
        Box box = null;
        float size = 0;
        int boldGlyphs = 0;
        int count = 0;
        for (List<TextWord> glyphs : cellGlyphs) {
            StringBuilder text = new StringBuilder();
            TextWord previous = null;
            Box cellBox = null;
            for (TextWord glyph : glyphs) {
                if (glyph.text().isBlank()) {
                    previous = null;
                    text.append(' ');
                    continue;
                }
                if (previous != null && glyph.x0() - previous.x1() > WORD_GAP * glyph.size()) {
                    text.append(' ');
                }
                text.append(glyph.text());
                Box glyphBox = new Box(glyph.x0(), glyph.top(), glyph.x1(), glyph.bottom());
                cellBox = cellBox == null ? glyphBox : cellBox.union(glyphBox);
                size = Math.max(size, glyph.size());
                boldGlyphs += glyph.bold() ? 1 : 0;
                count++;
                previous = glyph;
            }
            cells.add(new Cell(cellBox, text.toString().strip()));
            box = box == null ? cellBox : box.union(cellBox);
        }
        return new DrawnLine(List.copyOf(cells), box, size, boldGlyphs * 2 > count);
    }
}
