package io.refundguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered PNG, decoded back: scaled to 1024 px, the outline on the scaled box's edges only. */
class PhotoRendererTest {
    private static final int GREY = 0x808080;

    @TempDir
    Path dir;

    static BufferedImage grey(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(GREY));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static BufferedImage decoded(byte[] png, Path file) throws Exception {
        Files.write(file, png);
        return ImageIO.read(file.toFile());
    }

    static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }

    @Test
    void theOutlineLiesOnTheScaledBoxEdgesAndNotInsideTheBox() throws Exception {
        // 2048 x 1536 shown at 1024 x 768: the box (400, 300, 600, 400) becomes (200, 150, 300, 200).
        byte[] png = PhotoRenderer.render(grey(2048, 1536), List.of(new CaseFigures.Box(400, 300, 600, 400)), 2048, 1536);
        BufferedImage shown = decoded(png, dir.resolve("shown.png"));

        assertThat(shown.getWidth()).isEqualTo(1024);
        assertThat(shown.getHeight()).isEqualTo(768);
        int red = PhotoRenderer.OUTLINE.getRGB() & 0xFFFFFF;
        assertThat(rgb(shown, 200, 250)).as("left edge").isEqualTo(red);
        assertThat(rgb(shown, 500, 250)).as("right edge").isEqualTo(red);
        assertThat(rgb(shown, 350, 150)).as("top edge").isEqualTo(red);
        assertThat(rgb(shown, 350, 350)).as("bottom edge").isEqualTo(red);
        int t = PhotoRenderer.thickness(1024, 768);
        for (int x = 200 + t; x <= 500 - t; x += 7) {
            for (int y = 150 + t; y <= 350 - t; y += 7) {
                assertThat(rgb(shown, x, y)).as("inside the box at %d,%d", x, y).isEqualTo(GREY);
            }
        }
        assertThat(rgb(shown, 200 - t - 1, 250)).as("outside, left").isEqualTo(GREY);
        assertThat(rgb(shown, 100, 100)).as("far outside").isEqualTo(GREY);
    }

    @Test
    void boxesInTheListingsPixelsFollowAPhotoDecodedAtAnotherSize() throws Exception {
        // The decoder subsampled a 2000 x 1000 listing photo to 1000 x 500: the boxes stay in the listing's pixels.
        byte[] png = PhotoRenderer.render(grey(1000, 500), List.of(new CaseFigures.Box(1000, 400, 400, 200)), 2000, 1000);
        BufferedImage shown = decoded(png, dir.resolve("subsampled.png"));
        int red = PhotoRenderer.OUTLINE.getRGB() & 0xFFFFFF;

        assertThat(shown.getWidth()).isEqualTo(1000);
        assertThat(rgb(shown, 500, 250)).as("left edge at 1000/2").isEqualTo(red);
        assertThat(rgb(shown, 700, 250)).as("right edge at 1400/2").isEqualTo(red);
        assertThat(rgb(shown, 600, 250)).as("inside").isEqualTo(GREY);
    }

    @Test
    void aSmallPhotoKeepsItsSize() throws Exception {
        BufferedImage shown = decoded(PhotoRenderer.render(grey(600, 400), List.of(), 0, 0), dir.resolve("small.png"));
        assertThat(shown.getWidth()).isEqualTo(600);
        assertThat(shown.getHeight()).isEqualTo(400);
        assertThat(rgb(shown, 300, 200)).isEqualTo(GREY);
    }
}
