package ai.kaaj.documents;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/**
 * A scanned page straightened before OCR. A page fed a degree or two askew puts the cells of one table row
 * at different heights: tesseract's word boxes then fall into different rows (a 1° skew moves the far side
 * of a letter page 30 pt, three lines of body text), and the row falls apart. The skew is found from the
 * ink's horizontal projection, which is sharpest when text lines and rulings run level.
 */
final class Deskew {

    /** The largest skew looked for, in degrees; a page fed further askew than this is read as it is. */
    private static final double MAX_SKEW = 5;
    /** A skew smaller than this (degrees) is left alone: it moves a line's ends by under a pixel or so. */
    private static final double LEVEL = 0.05;

    private Deskew() {
    }

    /**
     * The page turned by {@code quarterTurns} quarter turns clockwise (0 to 3: a page scanned sideways or upside down)
     * and then level, in one pass so that no third copy of a large page is held: the image itself when it needs
     * neither, else a new 8-bit grey image.
     */
    static BufferedImage level(BufferedImage page, int dpi, int quarterTurns) {
        BufferedImage gray = plainGray(page);
        Turn turn = new Turn(quarterTurns, gray.getWidth(), gray.getHeight());
        byte[] pixels = pixels(gray);
        double skew = skewDegrees(pixels, turn, inkThreshold(pixels), dpi);
        if (Math.abs(skew) < LEVEL && quarterTurns == 0) {
            return gray;
        }
        BufferedImage level = new BufferedImage(turn.width(), turn.height(), BufferedImage.TYPE_BYTE_GRAY);
        rotate(pixels, turn, Math.abs(skew) < LEVEL ? 0 : skew, pixels(level));
        return level;
    }

    /**
     * A quarter turn clockwise ({@code quarters} of them) of a {@code sourceWidth} × {@code sourceHeight} image: the
     * turned image's size, and where a turned pixel comes from.
     */
    record Turn(int quarters, int sourceWidth, int sourceHeight) {

        Turn {
            quarters = Math.floorMod(quarters, 4);
        }

        int width() {
            return quarters % 2 == 0 ? sourceWidth : sourceHeight;
        }

        int height() {
            return quarters % 2 == 0 ? sourceHeight : sourceWidth;
        }

        /** The turned image's x of source pixel (x, y). */
        double turnedX(double x, double y) {
            return switch (quarters) {
                case 1 -> sourceHeight - 1 - y;
                case 2 -> sourceWidth - 1 - x;
                case 3 -> y;
                default -> x;
            };
        }

        /** The turned image's y of source pixel (x, y). */
        double turnedY(double x, double y) {
            return switch (quarters) {
                case 1 -> x;
                case 2 -> sourceHeight - 1 - y;
                case 3 -> sourceWidth - 1 - x;
                default -> y;
            };
        }

        /** The source's x of turned pixel (x, y). */
        double sourceX(double x, double y) {
            return switch (quarters) {
                case 1 -> y;
                case 2 -> sourceWidth - 1 - x;
                case 3 -> sourceWidth - 1 - y;
                default -> x;
            };
        }

        /** The source's y of turned pixel (x, y). */
        double sourceY(double x, double y) {
            return switch (quarters) {
                case 1 -> sourceHeight - 1 - x;
                case 2 -> sourceHeight - 1 - y;
                case 3 -> x;
                default -> y;
            };
        }
    }

    /** The page as TYPE_BYTE_GRAY whose raster is a plain width × height byte array: itself if it is one. */
    private static BufferedImage plainGray(BufferedImage page) {
        if (page.getType() == BufferedImage.TYPE_BYTE_GRAY && page.getRaster().getDataBuffer() instanceof DataBufferByte data
                && data.getNumBanks() == 1 && data.getOffset() == 0
                && data.getSize() == page.getWidth() * page.getHeight() && page.getRaster().getParent() == null) {
            return page;
        }
        BufferedImage gray = new BufferedImage(page.getWidth(), page.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        var graphics = gray.createGraphics();
        graphics.drawImage(page, 0, 0, null);
        graphics.dispose();
        return gray;
    }

    private static byte[] pixels(BufferedImage gray) {
        return ((DataBufferByte) gray.getRaster().getDataBuffer()).getData();
    }

    /** Otsu's threshold: grey levels below it are ink, the rest paper. */
    static int inkThreshold(byte[] pixels) {
        long[] histogram = new long[256];
        for (byte pixel : pixels) {
            histogram[pixel & 0xff]++;
        }
        long total = pixels.length;
        double sum = 0;
        for (int level = 0; level < 256; level++) {
            sum += (double) level * histogram[level];
        }
        double sumBelow = 0;
        long below = 0;
        double best = -1;
        int threshold = 128;
        for (int level = 0; level < 256; level++) {
            below += histogram[level];
            if (below == 0) {
                continue;
            }
            long above = total - below;
            if (above == 0) {
                break;
            }
            sumBelow += (double) level * histogram[level];
            double meanBelow = sumBelow / below;
            double meanAbove = (sum - sumBelow) / above;
            double between = (double) below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best) {
                best = between;
                threshold = level + 1;
            }
        }
        return threshold;
    }

    /**
     * The angle (degrees, positive when the page's lines fall to the right) at which the ink's rows are
     * sharpest: the sum of squared counts of ink per projected row peaks when text lines run level. Ink is
     * sampled at about 100 dpi; a coarse search over ±5° is refined to a fiftieth of a degree.
     */
    static double skewDegrees(byte[] pixels, Turn turn, int ink, int dpi) {
        int width = turn.sourceWidth();
        int height = turn.sourceHeight();
        int step = Math.max(1, dpi / 100);
        int count = 0;
        int[] xs = new int[1024];
        int[] ys = new int[1024];
        for (int y = 0; y < height; y += step) {
            int row = y * width;
            for (int x = 0; x < width; x += step) {
                if ((pixels[row + x] & 0xff) < ink) {
                    if (count == xs.length) {
                        xs = Arrays.copyOf(xs, count * 2);
                        ys = Arrays.copyOf(ys, count * 2);
                    }
                    // Where the ink lies on the turned page, whose lines are the ones to level.
                    xs[count] = (int) turn.turnedX(x, y);
                    ys[count] = (int) turn.turnedY(x, y);
                    count++;
                }
            }
        }
        if (count == 0) {
            return 0;
        }
        double best = 0;
        double bestScore = -1;
        for (double angle = -MAX_SKEW; angle <= MAX_SKEW + 1e-9; angle += 0.2) {
            double score = sharpness(xs, ys, count, angle, turn.height(), turn.width(), step);
            if (score > bestScore) {
                bestScore = score;
                best = angle;
            }
        }
        double coarse = best;
        for (double angle = coarse - 0.2; angle <= coarse + 0.2 + 1e-9; angle += 0.02) {
            double score = sharpness(xs, ys, count, angle, turn.height(), turn.width(), step);
            if (score > bestScore) {
                bestScore = score;
                best = angle;
            }
        }
        return best;
    }

    private static double sharpness(int[] xs, int[] ys, int count, double degrees, int height, int width, int step) {
        double slope = Math.tan(Math.toRadians(degrees));
        int margin = (int) Math.ceil(Math.abs(slope) * width) + 1;
        long[] rows = new long[(height + 2 * margin) / step + 2];
        for (int i = 0; i < count; i++) {
            int projected = (int) Math.round(ys[i] - xs[i] * slope) + margin;
            rows[projected / step]++;
        }
        double score = 0;
        for (long row : rows) {
            score += (double) row * row;
        }
        return score;
    }

    /**
     * The page given its quarter turns and then turned by {@code degrees} about its centre against its skew, into
     * {@code out} (bilinear, paper white where the turned page leaves a corner empty).
     */
    static void rotate(byte[] pixels, Turn turn, double degrees, byte[] out) {
        int width = turn.sourceWidth();
        int height = turn.sourceHeight();
        int outWidth = turn.width();
        int outHeight = turn.height();
        double radians = Math.toRadians(degrees);
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double cx = (outWidth - 1) / 2.0;
        double cy = (outHeight - 1) / 2.0;
        for (int y = 0; y < outHeight; y++) {
            double dy = y - cy;
            for (int x = 0; x < outWidth; x++) {
                double dx = x - cx;
                // Where the level page's pixel (x, y) lies on the skewed page turned upright, then on the scan.
                double tx = cx + dx * cos - dy * sin;
                double ty = cy + dx * sin + dy * cos;
                double sx = turn.sourceX(tx, ty);
                double sy = turn.sourceY(tx, ty);
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                int value;
                if (x0 < 0 || y0 < 0 || x0 >= width || y0 >= height) {
                    value = 255;
                } else {
                    // At the last row or column the pixel itself stands for its missing neighbour.
                    int x1 = Math.min(x0 + 1, width - 1);
                    int y1 = Math.min(y0 + 1, height - 1);
                    double fx = sx - x0;
                    double fy = sy - y0;
                    double top = (pixels[y0 * width + x0] & 0xff) * (1 - fx) + (pixels[y0 * width + x1] & 0xff) * fx;
                    double bottom = (pixels[y1 * width + x0] & 0xff) * (1 - fx) + (pixels[y1 * width + x1] & 0xff) * fx;
                    value = (int) Math.round(top * (1 - fy) + bottom * fy);
                }
                out[y * outWidth + x] = (byte) value;
            }
        }
    }
}
