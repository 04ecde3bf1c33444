package ai.kaaj.documents;

/**
 * A word, or before grouping a single glyph, where it sits: PDF points, top-left origin. {@code size} is its
 * font size (for OCR the height of its box), {@code bold} whether its font is a bold one.
 */
record TextWord(String text, float x0, float top, float x1, float bottom, float size, boolean bold) {

    float centerY() {
        return (top + bottom) / 2;
    }

    float height() {
        return bottom - top;
    }

    float centerX() {
        return (x0 + x1) / 2;
    }
}
