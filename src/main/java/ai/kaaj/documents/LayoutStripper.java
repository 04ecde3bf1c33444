package ai.kaaj.documents;

import ai.kaaj.engine.Interruption;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

import java.awt.geom.Point2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A page's text read through PDFBox's text positions into a {@link PageLayout}; {@code getText} returns the
 * layout's plain text, and {@link #layout()} the layout of the page read last. Use one page at a time
 * (setStartPage = setEndPage). Glyphs are placed in their reading direction (PDFBox's "DirAdj" coordinates,
 * which already account for the page's /Rotate); on a page whose text runs in several directions, the
 * direction with the most glyphs is laid out first and the others follow.
 */
public final class LayoutStripper extends PDFTextStripper {

    /** Beyond this many dots a page is a chart or a pattern, not a list. */
    private static final int MAX_DOTS = 2_000;

    private final Map<PDFont, Boolean> boldFonts = new IdentityHashMap<>();
    private final DocumentLimits limits;
    private final String fileName;
    /** Small filled shapes of the page: bullets drawn rather than typed (Chromium draws list discs). */
    private final List<float[]> drawnDots = new ArrayList<>();
    private float[] path;
    private PDPage page;
    private PageLayout layout;
    private int pageNumber;
    private long glyphs;
    private long operations;

    /** Whether the document's drawing order is its reading order (see {@link PageReading}). */
    private final boolean drawnInReadingOrder;

    public LayoutStripper(DocumentLimits limits, String fileName, boolean drawnInReadingOrder) {
        this.limits = limits;
        this.fileName = fileName;
        this.drawnInReadingOrder = drawnInReadingOrder;
        setSortByPosition(false);
        setShouldSeparateByBeads(false);
    }

    /** Reads this page next, its glyphs and operations counted afresh. */
    void startPage(int number) {
        pageNumber = number;
        glyphs = 0;
        operations = 0;
        setStartPage(number);
        setEndPage(number);
    }

    // What a page draws is counted as PDFBox parses it: a page over the limits is refused before its glyphs
    // fill the heap (a 4 KB stream can draw a million of them).
    @Override
    protected void showGlyph(Matrix textRenderingMatrix, PDFont font, int code, Vector displacement)
            throws IOException {
        limits.checkPageChars(fileName, pageNumber, ++glyphs);
        super.showGlyph(textRenderingMatrix, font, code, displacement);
    }

    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
        limits.checkPageOperations(fileName, pageNumber, ++operations);
        if (operations % 4096 == 0) {
            Interruption.check();
        }
        super.processOperator(operator, operands);
    }

    public PageLayout layout() {
        return layout;
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
        this.page = page;
        drawnDots.clear();
        path = null;
        super.startPage(page);
    }

    /** Path operators, which the text stripper does not handle: only the bounds of small filled shapes are kept. */
    @Override
    protected void unsupportedOperator(Operator operator, List<COSBase> operands) {
        switch (operator.getName()) {
            case "m", "l", "c", "v", "y" -> {
                for (int i = 0; i + 1 < operands.size(); i += 2) {
                    extendPath(operands.get(i), operands.get(i + 1), 0, 0);
                }
            }
            case "re" -> {
                if (operands.size() == 4 && operands.get(2) instanceof COSNumber w && operands.get(3) instanceof COSNumber h) {
                    extendPath(operands.get(0), operands.get(1), 0, 0);
                    extendPath(operands.get(0), operands.get(1), w.floatValue(), h.floatValue());
                }
            }
            case "f", "F", "f*", "B", "B*", "b", "b*" -> {
                if (path != null && path[2] - path[0] <= 8 && path[3] - path[1] <= 8 && path[2] - path[0] >= 1
                        && path[3] - path[1] >= 1 && drawnDots.size() < MAX_DOTS) {
                    drawnDots.add(path);
                }
                path = null;
            }
            case "n", "S", "s" -> path = null;
            default -> {
                // other operators carry nothing the layout reads
            }
        }
    }

    /** Grows the current path's bounds (page space, y down from the crop box's top) by a transformed point. */
    private void extendPath(COSBase x, COSBase y, float dx, float dy) {
        if (!(x instanceof COSNumber px) || !(y instanceof COSNumber py)) {
            return;
        }
        Point2D.Float point = getGraphicsState().getCurrentTransformationMatrix()
                .transformPoint(px.floatValue() + dx, py.floatValue() + dy);
        PDRectangle crop = page.getCropBox();
        float pageX = point.x - crop.getLowerLeftX();
        float pageY = crop.getUpperRightY() - point.y;
        if (path == null) {
            path = new float[] {pageX, pageY, pageX, pageY};
        } else {
            path[0] = Math.min(path[0], pageX);
            path[1] = Math.min(path[1], pageY);
            path[2] = Math.max(path[2], pageX);
            path[3] = Math.max(path[3], pageY);
        }
    }

    /**
     * A drawn dot with text just to its right on the same line is that line's bullet: a "•" glyph sized as that
     * text. Only on unrotated pages, where the page's space and the glyphs' agree.
     */
    private List<TextWord> drawnBullets(List<TextWord> glyphs) {
        if (page.getRotation() % 360 != 0) {
            return List.of();
        }
        List<TextWord> bullets = new ArrayList<>();
        for (float[] dot : drawnDots) {
            float width = dot[2] - dot[0];
            float height = dot[3] - dot[1];
            float centerY = (dot[1] + dot[3]) / 2;
            if (width > 1.6f * height || height > 1.6f * width) {
                continue;
            }
            for (TextWord glyph : glyphs) {
                float gap = glyph.x0() - dot[2];
                if (gap > 0 && gap <= 2.5f * glyph.size() && Math.abs(glyph.centerY() - centerY) <= 0.4f * glyph.size()) {
                    bullets.add(new TextWord("\u2022", dot[0], glyph.top(), dot[2], glyph.bottom(), glyph.size(), false));
                    break;
                }
            }
        }
        return bullets;
    }

    @Override
    protected void writePage() throws IOException {
        Map<Float, List<TextWord>> byDirection = new TreeMap<>();
        for (List<TextPosition> article : getCharactersByArticle()) {
            for (TextPosition glyph : article) {
                // PostgreSQL text and jsonb cannot hold NUL, which some fonts map glyphs to.
                String text = glyph.getUnicode() == null ? "" : glyph.getUnicode().replace("\u0000", "");
                TextWord word = text.isEmpty() ? null : word(glyph, text);
                if (word != null) {
                    byDirection.computeIfAbsent(glyph.getDir(), k -> new ArrayList<>()).add(word);
                }
            }
        }
        List<TextWord> upright = byDirection.get(0f);
        List<TextWord> bullets = drawnDots.isEmpty() || upright == null ? List.of() : drawnBullets(upright);
        PDRectangle box = page.getCropBox();
        boolean turned = page.getRotation() % 180 != 0;
        float width = turned ? box.getHeight() : box.getWidth();
        float height = turned ? box.getWidth() : box.getHeight();
        List<List<TextWord>> directions = new ArrayList<>(byDirection.values());
        directions.sort((a, b) -> Integer.compare(b.size(), a.size()));
        layout = directions.size() <= 1
                ? PageReading.layout(getCurrentPageNo(), width, height,
                        directions.isEmpty() ? List.of() : directions.get(0), bullets, drawnInReadingOrder)
                : inDirectionOrder(width, height, directions, upright, bullets);
        output.write(layout.text());
    }

    /** Each direction's words laid out on their own (their coordinates are not comparable), main one first. */
    private PageLayout inDirectionOrder(float width, float height, List<List<TextWord>> directions,
                                        List<TextWord> upright, List<TextWord> bullets) {
        List<PageLayout.Block> blocks = new ArrayList<>();
        float body = 0;
        for (List<TextWord> glyphs : directions) {
            List<TextWord> read = glyphs == upright ? PageReading.with(glyphs, bullets) : glyphs;
            PageLayout part = LayoutBuilder.layout(getCurrentPageNo(), width, height, LayoutBuilder.words(read));
            body = body == 0 ? part.bodySize() : body;
            blocks.addAll(part.blocks());
        }
        return new PageLayout(getCurrentPageNo(), width, height, body, List.copyOf(blocks));
    }

    /** The glyph's box from its baseline and font size; null when a damaged font gives no usable position. */
    private TextWord word(TextPosition glyph, String text) {
        float size = Math.max(glyph.getFontSizeInPt(), glyph.getHeightDir());
        float baseline = glyph.getYDirAdj();
        float x = glyph.getXDirAdj();
        float width = glyph.getWidthDirAdj();
        if (!Float.isFinite(size) || !Float.isFinite(baseline) || !Float.isFinite(x) || !Float.isFinite(width)) {
            return null;
        }
        return new TextWord(text, x, baseline - 0.8f * size, x + Math.max(width, 0), baseline + 0.2f * size, size,
                isBold(glyph.getFont()));
    }

    private boolean isBold(PDFont font) {
        if (font == null) {
            return false;
        }
        return boldFonts.computeIfAbsent(font, f -> {
            String name = f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
            PDFontDescriptor descriptor = f.getFontDescriptor();
            return name.contains("bold") || name.contains("black") || name.contains("heavy")
                    || descriptor != null && (descriptor.isForceBold() || descriptor.getFontWeight() >= 600);
        });
    }
}
