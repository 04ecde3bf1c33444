package ai.kaaj.documents;

import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

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

    private final Map<PDFont, Boolean> boldFonts = new IdentityHashMap<>();
    private PDPage page;
    private PageLayout layout;

    public LayoutStripper() {
        setSortByPosition(false);
        setShouldSeparateByBeads(false);
    }

    public PageLayout layout() {
        return layout;
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
        this.page = page;
        super.startPage(page);
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
        PDRectangle box = page.getCropBox();
        boolean turned = page.getRotation() % 180 != 0;
        float width = turned ? box.getHeight() : box.getWidth();
        float height = turned ? box.getWidth() : box.getHeight();
        List<List<TextWord>> directions = new ArrayList<>(byDirection.values());
        directions.sort((a, b) -> Integer.compare(b.size(), a.size()));
        layout = directions.size() <= 1
                ? LayoutBuilder.layout(getCurrentPageNo(), width, height,
                        directions.isEmpty() ? List.of() : LayoutBuilder.words(directions.get(0)))
                : inDirectionOrder(width, height, directions);
        output.write(layout.text());
    }

    /** Each direction's words laid out on their own (their coordinates are not comparable), main one first. */
    private PageLayout inDirectionOrder(float width, float height, List<List<TextWord>> directions) {
        List<PageLayout.Block> blocks = new ArrayList<>();
        float body = 0;
        for (List<TextWord> glyphs : directions) {
            PageLayout part = LayoutBuilder.layout(getCurrentPageNo(), width, height, LayoutBuilder.words(glyphs));
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
