package io.refundguard.console;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A fetched photo as the reviewer's browser gets it: scaled down to {@value #MAX_SIDE} px on the
 * long side, the changed regions outlined, and re-encoded as a plain RGB PNG. Re-encoding from
 * decoded pixels is the point: whatever else the original file held (metadata, scripts in an SVG
 * posing as a photo, a polyglot) never reaches the browser.
 */
final class PhotoRenderer {
    static final int MAX_SIDE = 1024;
    static final Color OUTLINE = new Color(230, 20, 20);
    static final int PLACEHOLDER_WIDTH = 320;
    static final int PLACEHOLDER_HEIGHT = 240;

    private PhotoRenderer() {}

    /**
     * @param boxes changed regions in the frame's pixels ({@code frameWidth} x {@code frameHeight},
     *     the listing photo's size when the detector compared it); the frame is the photo's own
     *     size when not given (0)
     */
    static byte[] render(BufferedImage photo, List<CaseFigures.Box> boxes, int frameWidth, int frameHeight) {
        double scale = Math.min(1.0, (double) MAX_SIDE / Math.max(photo.getWidth(), photo.getHeight()));
        int width = Math.max(1, (int) Math.round(photo.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(photo.getHeight() * scale));
        BufferedImage out = scaled(photo, width, height);
        if (!boxes.isEmpty()) {
            outline(out, boxes, frameWidth > 0 ? frameWidth : photo.getWidth(), frameHeight > 0 ? frameHeight : photo.getHeight());
        }
        return png(out);
    }

    /** The box of {@code box} in a {@code width} x {@code height} image of a frame of the given size. */
    static CaseFigures.Box scaledBox(CaseFigures.Box box, int frameWidth, int frameHeight, int width, int height) {
        double sx = (double) width / frameWidth;
        double sy = (double) height / frameHeight;
        int x0 = (int) Math.round(box.x() * sx);
        int y0 = (int) Math.round(box.y() * sy);
        int x1 = (int) Math.round((box.x() + box.width()) * sx);
        int y1 = (int) Math.round((box.y() + box.height()) * sy);
        return new CaseFigures.Box(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    /** Outline thickness: visible at any size, thin enough not to hide what it marks. */
    static int thickness(int width, int height) {
        return Math.max(3, Math.max(width, height) / 250);
    }

    private static void outline(BufferedImage image, List<CaseFigures.Box> boxes, int frameWidth, int frameHeight) {
        int t = thickness(image.getWidth(), image.getHeight());
        Graphics2D g = image.createGraphics();
        try {
            // Pixel-exact lines: the outline lies on the box's edge and nothing inside it is painted over.
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(OUTLINE);
            g.setStroke(new BasicStroke(t, BasicStroke.CAP_SQUARE, BasicStroke.JOIN_MITER));
            for (CaseFigures.Box box : boxes) {
                CaseFigures.Box s = scaledBox(box, frameWidth, frameHeight, image.getWidth(), image.getHeight());
                g.drawRect(s.x(), s.y(), s.width(), s.height());
            }
        } finally {
            g.dispose();
        }
    }

    /**
     * Halving steps, then one bilinear step: a single bilinear step from a 4000 px photo would skip
     * most pixels and alias.
     */
    private static BufferedImage scaled(BufferedImage photo, int width, int height) {
        BufferedImage current = photo;
        int w = photo.getWidth();
        int h = photo.getHeight();
        while (w / 2 >= width && h / 2 >= height) {
            w /= 2;
            h /= 2;
            current = draw(current, w, h);
        }
        return draw(current, width, height);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * The listing photo's empty frame with the changed regions outlined, {@value #PLACEHOLDER_WIDTH}
     * px on the long side: what is still known when the photo itself cannot be had.
     */
    static byte[] frame(int frameWidth, int frameHeight, List<CaseFigures.Box> boxes) {
        double scale = (double) PLACEHOLDER_WIDTH / Math.max(frameWidth, frameHeight);
        BufferedImage image = new BufferedImage(Math.max(1, (int) Math.round(frameWidth * scale)),
                Math.max(1, (int) Math.round(frameHeight * scale)), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(0xEE, 0xF0, 0xF4));
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
        } finally {
            g.dispose();
        }
        outline(image, boxes, frameWidth, frameHeight);
        return png(image);
    }

    /** A small grey frame with a dashed border: the page says in words why the photo is missing. */
    static byte[] placeholder() {
        BufferedImage image = new BufferedImage(PLACEHOLDER_WIDTH, PLACEHOLDER_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(0xEE, 0xF0, 0xF4));
            g.fillRect(0, 0, PLACEHOLDER_WIDTH, PLACEHOLDER_HEIGHT);
            g.setColor(new Color(0x8A, 0x93, 0xA3));
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            g.drawRect(6, 6, PLACEHOLDER_WIDTH - 13, PLACEHOLDER_HEIGHT - 13);
            g.drawLine(6, 6, PLACEHOLDER_WIDTH - 7, PLACEHOLDER_HEIGHT - 7);
            g.drawLine(6, PLACEHOLDER_HEIGHT - 7, PLACEHOLDER_WIDTH - 7, 6);
        } finally {
            g.dispose();
        }
        return png(image);
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("PNG encoding into memory", e);
        }
        return bytes.toByteArray();
    }
}
