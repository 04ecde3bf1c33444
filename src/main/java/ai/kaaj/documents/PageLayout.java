package ai.kaaj.documents;

import ai.kaaj.domain.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one page says, as blocks in reading order: headings, paragraphs, bullet items and table rows, each
 * with its lines (and a table row with its cells) and where they sit on the page. Read from the PDF's text
 * positions or from tesseract's word boxes by {@link LayoutBuilder}; stored per page as jsonb.
 *
 * <p>Coordinates are PDF points (1/72 inch) with the origin at the <b>top-left</b> of the page as it is
 * displayed (after its /Rotate), x to the right and y down; a box is {@code [x0, y0, x1, y1]}, whole points.
 *
 * <p>The stored JSON of a page (fields always in this order; {@code cells} only on table rows,
 * {@code bold} only when true):
 * <pre>{@code
 * {"page": 1, "width": 612, "height": 792, "body_size": 10,
 *  "blocks": [
 *    {"kind": "heading", "band": 0, "column": 0, "bbox": [54, 40, 320, 58], "size": 16, "bold": true,
 *     "lines": [{"bbox": [54, 40, 320, 58], "text": "Standard Program Rate Guidelines"}]},
 *    {"kind": "table_row", "band": 1, "column": 1, "bbox": [54, 80, 290, 92], "size": 10,
 *     "lines": [{"bbox": [54, 80, 290, 92], "text": "A Tier | 700+ | 7.99%"}],
 *     "cells": [{"bbox": [54, 80, 100, 92], "text": "A Tier"}, {"bbox": [150, 80, 180, 92], "text": "700+"},
 *               {"bbox": [240, 80, 290, 92], "text": "7.99%"}]},
 *    {"kind": "bullet", "band": 1, "column": 2, "bbox": [320, 80, 560, 104], "size": 10,
 *     "lines": [{"bbox": [320, 80, 560, 92], "text": "• 650+ PayNet, 670+ FICO"},
 *               {"bbox": [330, 92, 470, 104], "text": "4 years in business"}]}]}
 * }</pre>
 * <ul>
 *   <li>{@code kind}: {@code heading} (larger or bold text, or a short all-capitals line), {@code paragraph},
 *       {@code bullet} (one item: its marker line and the lines that continue it; a bullet the
 *       PDF draws as a small filled shape is written "•") or {@code table_row} (one
 *       row of a table; its {@code cells} in column order, an empty cell as {@code ""}, so the n-th cell of
 *       consecutive rows is the same table column).</li>
 *   <li>{@code band}: 0 for text that runs across the page; from 1, one band per part of the page that is set
 *       in side-by-side columns. {@code column}: 0 outside columns, else the column within its band, 1 the
 *       leftmost. Blocks of one band in different columns sit beside each other (a rate grid beside its
 *       tier bullets).</li>
 *   <li>{@code size}: the block's font size in points (for OCR pages the height of its words); {@code
 *       body_size}: the page's body text size, which headings are measured against.</li>
 * </ul>
 * Text is capped: a line or cell holds at most {@link #MAX_LINE_CHARS} characters (a longer row of text
 * continues on a further line, a longer word is cut), and a block at most {@link #MAX_BLOCK_LINES} lines and
 * {@link #MAX_BLOCK_CHARS} characters (a longer paragraph continues in a further block of the same kind).
 */
public record PageLayout(int page, float width, float height, float bodySize, List<Block> blocks) {

    public static final int MAX_LINE_CHARS = 1_000;
    public static final int MAX_BLOCK_LINES = 40;
    public static final int MAX_BLOCK_CHARS = 4_000;

    public enum Kind {
        HEADING, PARAGRAPH, BULLET, TABLE_ROW;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind of(String json) {
            return valueOf(json.toUpperCase(Locale.ROOT));
        }
    }

    /** A box in PDF points, top-left origin: x0 <= x1, y0 <= y1. */
    public record Box(float x0, float y0, float x1, float y1) {

        public Box union(Box other) {
            return new Box(Math.min(x0, other.x0), Math.min(y0, other.y0), Math.max(x1, other.x1),
                    Math.max(y1, other.y1));
        }

        static Box union(List<Box> boxes) {
            Box result = boxes.get(0);
            for (Box box : boxes) {
                result = result.union(box);
            }
            return result;
        }
    }

    public record Line(Box bbox, String text) {
    }

    public record Cell(Box bbox, String text) {
    }

    /**
     * One block; {@code page} is the page it is on (not repeated in the stored JSON). {@code cells} is empty
     * unless the block is a table row.
     */
    public record Block(int page, Kind kind, int band, int column, Box bbox, float size, boolean bold,
                        List<Line> lines, List<Cell> cells) {

        /** The block's text: its lines one per line; a table row's cells joined with " | ". */
        public String text() {
            if (kind == Kind.TABLE_ROW) {
                return cells.stream().map(Cell::text).collect(Collectors.joining(" | "));
            }
            return lines.stream().map(Line::text).collect(Collectors.joining("\n"));
        }
    }

    /**
     * The page's plain text, derived from the blocks in reading order: each block's text, a blank line
     * between blocks, except between consecutive bullets or table rows of the same column.
     */
    public String text() {
        StringBuilder text = new StringBuilder();
        Block previous = null;
        for (Block block : blocks) {
            if (previous != null) {
                boolean sameList = previous.kind == block.kind && previous.band == block.band
                        && previous.column == block.column
                        && (block.kind == Kind.BULLET || block.kind == Kind.TABLE_ROW);
                text.append(sameList ? "\n" : "\n\n");
            }
            text.append(block.text());
            previous = block;
        }
        return text.isEmpty() ? "" : text.append('\n').toString();
    }

    /** Every block of the pages that have a layout, page by page, each page's in reading order. */
    public static List<Block> blocks(List<PageText> pages) {
        List<Block> all = new ArrayList<>();
        for (PageText page : pages) {
            if (page.layout() != null) {
                all.addAll(page.layout().blocks());
            }
        }
        return all;
    }

    /** The compact JSON described above. */
    public String toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("page", page);
        root.put("width", Math.round(width));
        root.put("height", Math.round(height));
        root.put("body_size", round1(bodySize));
        ArrayNode blockNodes = root.putArray("blocks");
        for (Block block : blocks) {
            ObjectNode node = blockNodes.addObject();
            node.put("kind", block.kind.json());
            node.put("band", block.band);
            node.put("column", block.column);
            putBox(node, block.bbox);
            node.put("size", round1(block.size));
            if (block.bold) {
                node.put("bold", true);
            }
            ArrayNode lineNodes = node.putArray("lines");
            for (Line line : block.lines) {
                ObjectNode lineNode = lineNodes.addObject();
                putBox(lineNode, line.bbox);
                lineNode.put("text", line.text);
            }
            if (block.kind == Kind.TABLE_ROW) {
                ArrayNode cellNodes = node.putArray("cells");
                for (Cell cell : block.cells) {
                    ObjectNode cellNode = cellNodes.addObject();
                    putBox(cellNode, cell.bbox);
                    cellNode.put("text", cell.text);
                }
            }
        }
        return Json.write(root);
    }

    /** Reads what {@link #toJson()} wrote. */
    public static PageLayout fromJson(String json) {
        JsonNode root = Json.read(json, JsonNode.class);
        int page = root.path("page").asInt();
        List<Block> blocks = new ArrayList<>();
        for (JsonNode node : root.path("blocks")) {
            List<Line> lines = new ArrayList<>();
            for (JsonNode line : node.path("lines")) {
                lines.add(new Line(box(line.path("bbox")), line.path("text").asText()));
            }
            List<Cell> cells = new ArrayList<>();
            for (JsonNode cell : node.path("cells")) {
                cells.add(new Cell(box(cell.path("bbox")), cell.path("text").asText()));
            }
            blocks.add(new Block(page, Kind.of(node.path("kind").asText()), node.path("band").asInt(),
                    node.path("column").asInt(), box(node.path("bbox")), (float) node.path("size").asDouble(),
                    node.path("bold").asBoolean(false), List.copyOf(lines), List.copyOf(cells)));
        }
        return new PageLayout(page, (float) root.path("width").asDouble(), (float) root.path("height").asDouble(),
                (float) root.path("body_size").asDouble(), List.copyOf(blocks));
    }

    private static void putBox(ObjectNode node, Box box) {
        ArrayNode array = node.putArray("bbox");
        array.add(Math.round(box.x0)).add(Math.round(box.y0)).add(Math.round(box.x1)).add(Math.round(box.y1));
    }

    private static Box box(JsonNode array) {
        return new Box((float) array.path(0).asDouble(), (float) array.path(1).asDouble(),
                (float) array.path(2).asDouble(), (float) array.path(3).asDouble());
    }

    private static double round1(float value) {
        return Math.round(value * 10) / 10.0;
    }
}
