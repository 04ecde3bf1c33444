package ai.kaaj.documents;

import org.junit.jupiter.api.Test;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
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
            double found = Deskew.skewDegrees(pixels, page.getWidth(), page.getHeight(),
                    Deskew.inkThreshold(pixels), 200);
            assertThat(found).as("scanned at %s°", degrees).isCloseTo(degrees, within(0.1));
        }
    }

    @Test
    void turnsAnAskewPageLevelAndLeavesALevelOneAsItIs() {
        BufferedImage level = lines(0);
        assertThat(Deskew.level(level, 200)).isSameAs(level);

        BufferedImage turned = Deskew.level(lines(2), 200);
        byte[] pixels = ((DataBufferByte) turned.getRaster().getDataBuffer()).getData();
        assertThat(Deskew.skewDegrees(pixels, turned.getWidth(), turned.getHeight(), Deskew.inkThreshold(pixels), 200))
                .isCloseTo(0, within(0.1));
        // The corners the turn uncovers are paper, not black.
        assertThat(pixels[0] & 0xff).isEqualTo(255);
    }

    /** Twenty lines of text over a page at 200 dpi, turned by {@code degrees} clockwise about its centre. */
    private static BufferedImage lines(double degrees) {
        BufferedImage image = new BufferedImage(1700, 2200, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 1700, 2200);
        g.rotate(Math.toRadians(degrees), 850, 1100);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 32));
        for (int i = 0; i < 20; i++) {
            g.drawString("Minimum FICO 680 for every tier; two years in business", 200, 400 + i * 60);
        }
        g.dispose();
        return image;
    }
}
