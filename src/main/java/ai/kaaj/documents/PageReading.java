package ai.kaaj.documents;

import ai.kaaj.documents.PageLayout.Block;
import ai.kaaj.documents.PageLayout.Cell;
import ai.kaaj.documents.PageLayout.Kind;
import org.apache.pdfbox.pdmodel.PDDocument;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Chooses how a page is read into blocks. Word processors, layout programs and browsers draw a text frame, a
 * table cell or a column whole before the next, so for their PDFs the drawing order ({@link StreamLayout}) keeps
 * grids, the bullets beside them and boxed sections apart better than any measure of the page. PDF libraries
 * place text line by line at coordinates, in any order, and a page drawn across its columns shows rows whose
 * "cells" are running prose: those pages are read from their geometry ({@link LayoutBuilder}).
 */
final class PageReading {

    /** Producers that place text at coordinates in whatever order their caller draws it. */
    private static final Pattern PDF_LIBRARY = Pattern.compile(
            "pdfbox|itext|reportlab|fpdf|tcpdf|pdfsharp|prawn|pdfkit|jspdf|pdf-lib|ghostscript|pdftk", Pattern.CASE_INSENSITIVE);
    /** Text beyond this length in a row's later cell is prose or an item, not a table value. */
    private static final int LONGEST_CELL = 40;

    private PageReading() {
    }

    /** Whether the document's drawing order can be trusted as its reading order, by the program that wrote it. */
    static boolean drawsInReadingOrder(PDDocument document) {
        String producer = document.getDocumentInformation().getProducer();
        String creator = document.getDocumentInformation().getCreator();
        String writer = ((producer == null ? "" : producer) + " " + (creator == null ? "" : creator)).toLowerCase(Locale.ROOT);
        return !writer.isBlank() && !PDF_LIBRARY.matcher(writer).find();
    }

    /**
     * The page's blocks from its glyphs, given in the order the page draws them. Bullets the page draws as
     * shapes mark items for the geometric reading; in drawing order each item is a line of its own already.
     */
    static PageLayout layout(int page, float width, float height, List<TextWord> drawn, List<TextWord> drawnBullets,
                             boolean readingOrder) {
        if (readingOrder) {
            PageLayout inDrawingOrder = StreamLayout.layout(page, width, height, drawn);
            if (noRowDrawnAcrossColumns(inDrawingOrder)) {
                return inDrawingOrder;
            }
        }
        return LayoutBuilder.layout(page, width, height, LayoutBuilder.words(with(drawn, drawnBullets)));
    }

    /** The glyphs with the drawn bullets after them. */
    static List<TextWord> with(List<TextWord> glyphs, List<TextWord> bullets) {
        if (bullets.isEmpty()) {
            return glyphs;
        }
        List<TextWord> all = new java.util.ArrayList<>(glyphs);
        all.addAll(bullets);
        return all;
    }

    /**
     * Fewer than {@link #ACROSS_ROWS} rows of the page have a later cell that holds a run of prose (a header or
     * footer set left and right is one such row; columns drawn across are one per line). A table of bulleted
     * items is no such row.
     */
    private static boolean noRowDrawnAcrossColumns(PageLayout layout) {
        int across = 0;
        for (Block block : layout.blocks()) {
            if (block.kind() != Kind.TABLE_ROW) {
                continue;
            }
            List<Cell> cells = block.cells();
            for (int i = 1; i < cells.size(); i++) {
                String text = cells.get(i).text();
                if (text.length() > LONGEST_CELL) {
                    across++;
                    break;
                }
            }
        }
        return across < ACROSS_ROWS;
    }

    private static final int ACROSS_ROWS = 3;
}
