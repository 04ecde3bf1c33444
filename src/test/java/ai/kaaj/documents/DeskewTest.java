package ai.kaaj.documents;

import org.junit.jupiter.api.Test;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A page scanned askew is found askew by the right angle and turned level. */
class DeskewTest {

    @Test
    void findsTheAngleAPageWasScannedAt() {
        for (double degrees : new double[] {-2.4, -0.7, 0, 1.3, 3.1}) {
            BufferedImage page = lines(degrees);
            byte[] pixels = ((DataBufferByte) page.getRaster().getDataBuffer()).getData();
            double found = Deskew.skewDegrees(pixels, new Deskew.Turn(0, page.getWidth(), page.getHeight()),
                    Deskew.inkThreshold(pixels), 200);
            assertThat(found).as("scanned at %s°", degrees).isCloseTo(degrees, within(0.1));
        }
    }

    @Test
    void turnsAnAskewPageLevelAndLeavesALevelOneAsItIs() {
        BufferedImage level = lines(0);
        assertThat(Deskew.level(level, 200, 0)).isSameAs(level);

        BufferedImage turned = Deskew.level(lines(2), 200, 0);
        byte[] pixels = ((DataBufferByte) turned.getRaster().getDataBuffer()).getData();
        assertThat(skew(turned)).isCloseTo(0, within(0.1));
        // The corners the turn uncovers are paper, not black.
        assertThat(pixels[0] & 0xff).isEqualTo(255);
    }

    @Test
    void turnsAPageScannedSidewaysOrUpsideDownUprightAndLevel() {
        BufferedImage upright = lines(1.3);
        for (int quarters = 1; quarters <= 3; quarters++) {
            BufferedImage scanned = quarterTurned(upright, quarters);
            BufferedImage read = Deskew.level(scanned, 200, 4 - quarters);
            assertThat(read.getWidth()).isEqualTo(upright.getWidth());
            assertThat(read.getHeight()).isEqualTo(upright.getHeight());
            assertThat(skew(read)).as("scanned %d quarter turns round", quarters).isCloseTo(0, within(0.1));
            // The first line's start is at the top left again (ink there, paper across the page's middle).
            assertThat(inkIn(read, 195, 375, 260, 405)).as("scanned %d quarter turns round", quarters)
                    .isGreaterThan(50);
            assertThat(inkIn(read, 0, 1650, 1700, 2200)).isZero();
        }
    }

    private static double skew(BufferedImage page) {
        byte[] pixels = ((DataBufferByte) page.getRaster().getDataBuffer()).getData();
        return Deskew.skewDegrees(pixels, new Deskew.Turn(0, page.getWidth(), page.getHeight()),
                Deskew.inkThreshold(pixels), 200);
    }

    private static int inkIn(BufferedImage page, int x0, int y0, int x1, int y1) {
        int ink = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                ink += (page.getRaster().getSample(x, y, 0) < 128) ? 1 : 0;
            }
        }
        return ink;
    }

    /** The page turned by {@code quarters} quarter turns clockwise, as a sheet fed sideways or upside down. */
    static BufferedImage quarterTurned(BufferedImage page, int quarters) {
        boolean sideways = quarters % 2 == 1;
        int width = sideways ? page.getHeight() : page.getWidth();
        int height = sideways ? page.getWidth() : page.getHeight();
        BufferedImage turned = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = turned.createGraphics();
        AffineTransform turn = new AffineTransform();
        turn.translate(width / 2.0, height / 2.0);
        turn.quadrantRotate(quarters);
        turn.translate(-page.getWidth() / 2.0, -page.getHeight() / 2.0);
        g.drawImage(page, turn, null);
        g.dispose();
        return turned;
    }

    /** Twenty lines of text over a page at 200 dpi, turned by {@code degrees} clockwise about its centre. */
    private static BufferedImage lines(double degrees) {
        BufferedImage image = OcrLayoutTest.letterScan();
        Graphics2D g = OcrLayoutTest.pen(image, degrees);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 32));
        for (int i = 0; i < 20; i++) {
            g.drawString("Minimum FICO 680 for every tier; two years in business", 200, 400 + i * 60);
        }
        g.dispose();
        return image;
    }
}
