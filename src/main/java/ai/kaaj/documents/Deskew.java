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

    /** The page turned level: the image itself when it is level already, else a new 8-bit grey image of its size. */
    static BufferedImage level(BufferedImage page, int dpi) {
        BufferedImage gray = plainGray(page);
        int width = gray.getWidth();
        int height = gray.getHeight();
        byte[] pixels = pixels(gray);
        double skew = skewDegrees(pixels, width, height, inkThreshold(pixels), dpi);
        if (Math.abs(skew) < LEVEL) {
            return gray;
        }
        BufferedImage level = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        rotate(pixels, width, height, skew, pixels(level));
        return level;
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
    static double skewDegrees(byte[] pixels, int width, int height, int ink, int dpi) {
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
                    xs[count] = x;
                    ys[count] = y;
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
            double score = sharpness(xs, ys, count, angle, height, width, step);
            if (score > bestScore) {
                bestScore = score;
                best = angle;
            }
        }
        double coarse = best;
        for (double angle = coarse - 0.2; angle <= coarse + 0.2 + 1e-9; angle += 0.02) {
            double score = sharpness(xs, ys, count, angle, height, width, step);
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
     * The page turned by {@code degrees} about its centre against its skew, into {@code out} (bilinear, paper
     * white where the turned page leaves a corner empty).
     */
    static void rotate(byte[] pixels, int width, int height, double degrees, byte[] out) {
        double radians = Math.toRadians(degrees);
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        for (int y = 0; y < height; y++) {
            double dy = y - cy;
            for (int x = 0; x < width; x++) {
                double dx = x - cx;
                // Where the level page's pixel (x, y) lies on the skewed scan.
                double sx = cx + dx * cos - dy * sin;
                double sy = cy + dx * sin + dy * cos;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                int value;
                if (x0 < 0 || y0 < 0 || x0 + 1 >= width || y0 + 1 >= height) {
                    value = 255;
                } else {
                    double fx = sx - x0;
                    double fy = sy - y0;
                    int at = y0 * width + x0;
                    double top = (pixels[at] & 0xff) * (1 - fx) + (pixels[at + 1] & 0xff) * fx;
                    double bottom = (pixels[at + width] & 0xff) * (1 - fx) + (pixels[at + width + 1] & 0xff) * fx;
                    value = (int) Math.round(top * (1 - fy) + bottom * fy);
                }
                out[y * width + x] = (byte) value;
            }
        }
    }
}
