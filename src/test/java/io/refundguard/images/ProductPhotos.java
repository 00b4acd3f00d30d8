package io.refundguard.images;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.LinearGradientPaint;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Test fixture: synthetic product-listing photos (studio backdrop, a shaded and textured object
 * with a printed label, a soft shadow, sensor noise), varied by seed in colour, size, position
 * and label text.
 */
final class ProductPhotos {
    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    enum Kind { BOTTLE, BOX, MUG, SHOE, PHONE }

    private ProductPhotos() {}

    static BufferedImage photo(Kind kind, long seed) {
        Random random = new Random(seed * 7919 + kind.ordinal());
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        backdrop(g, random);
        int cx = WIDTH / 2 + random.nextInt(121) - 60;
        int cy = HEIGHT / 2 + random.nextInt(61) - 30;
        double scale = 0.8 + random.nextDouble() * 0.4;
        shadow(g, cx, cy + (int) (150 * scale), (int) (170 * scale));
        switch (kind) {
            case BOTTLE -> bottle(g, random, cx, cy, scale);
            case BOX -> box(g, random, cx, cy, scale);
            case MUG -> mug(g, random, cx, cy, scale);
            case SHOE -> shoe(g, random, cx, cy, scale);
            case PHONE -> phone(g, random, cx, cy, scale);
        }
        g.dispose();
        addSensorNoise(image, random);
        return image;
    }

    static BufferedImage scaled(BufferedImage source, int width, int height) {
        Image smooth = source.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(smooth, 0, 0, null);
        g.dispose();
        return out;
    }

    private static void backdrop(Graphics2D g, Random random) {
        Color top = muted(random, 170, 240);
        Color bottom = muted(random, 120, 200);
        int horizon = HEIGHT / 2 + random.nextInt(120);
        g.setPaint(new GradientPaint(0, 0, top, 0, horizon, top.darker()));
        g.fillRect(0, 0, WIDTH, horizon);
        g.setPaint(new GradientPaint(0, horizon, bottom, 0, HEIGHT, bottom.brighter()));
        g.fillRect(0, horizon, WIDTH, HEIGHT - horizon);
        // Weave of the backdrop cloth.
        g.setColor(new Color(0, 0, 0, 14));
        int pitch = 6 + random.nextInt(6);
        for (int x = -HEIGHT; x < WIDTH; x += pitch) {
            g.drawLine(x, 0, x + HEIGHT, HEIGHT);
        }
    }

    private static void shadow(Graphics2D g, int cx, int floorY, int radius) {
        for (int i = 0; i < 8; i++) {
            int rx = radius - i * radius / 10;
            g.setColor(new Color(0, 0, 0, 12));
            g.fill(new Ellipse2D.Double(cx - rx, floorY - rx / 5.0, 2 * rx, 2 * rx / 5.0));
        }
    }

    private static void bottle(Graphics2D g, Random random, int cx, int cy, double s) {
        Color glass = vivid(random);
        int w = (int) (110 * s);
        int h = (int) (230 * s);
        int top = cy - h / 2 + (int) (30 * s);
        cylinderPaint(g, glass, cx - w / 2, cx + w / 2);
        g.fill(new RoundRectangle2D.Double(cx - w / 2.0, top, w, h, w / 2.0, w / 2.0));
        int neck = w / 3;
        g.fill(new RoundRectangle2D.Double(cx - neck / 2.0, top - 70 * s, neck, 80 * s, 12, 12));
        g.setColor(vivid(random).darker());
        g.fillRect(cx - neck / 2 - 3, (int) (top - 85 * s), neck + 6, (int) (22 * s));
        label(g, random, cx - w / 2 + 6, top + h / 3, w - 12, h / 3);
    }

    private static void box(Graphics2D g, Random random, int cx, int cy, double s) {
        Color color = vivid(random);
        int w = (int) (200 * s);
        int h = (int) (170 * s);
        int depth = (int) (60 * s);
        int x = cx - w / 2 - depth / 2;
        int y = cy - h / 2 + depth / 2;
        g.setPaint(new GradientPaint(x, y, color.brighter(), x + w, y + h, color));
        g.fillRect(x, y, w, h);
        g.setColor(color.darker());
        g.fillPolygon(new Polygon(new int[] {x + w, x + w + depth, x + w + depth, x + w},
                new int[] {y, y - depth, y + h - depth, y + h}, 4));
        g.setColor(color.brighter().brighter());
        g.fillPolygon(new Polygon(new int[] {x, x + depth, x + w + depth, x + w},
                new int[] {y, y - depth, y - depth, y}, 4));
        g.setColor(new Color(255, 255, 255, 140));
        g.fillRect(x, y + h / 2 - 8, w, 16);
        label(g, random, x + 15, y + 20, w - 30, h / 3);
    }

    private static void mug(Graphics2D g, Random random, int cx, int cy, double s) {
        Color glaze = vivid(random);
        int w = (int) (160 * s);
        int h = (int) (180 * s);
        int left = cx - w / 2 - (int) (20 * s);
        g.setColor(glaze.darker());
        g.setStroke(new BasicStroke((float) (22 * s)));
        g.drawArc(left + w - (int) (30 * s), cy - h / 4, (int) (90 * s), h / 2, -90, 180);
        cylinderPaint(g, glaze, left, left + w);
        g.fillRect(left, cy - h / 2, w, h);
        g.fill(new Ellipse2D.Double(left, cy + h / 2.0 - 15 * s, w, 30 * s));
        g.setColor(glaze.darker().darker());
        g.fill(new Ellipse2D.Double(left, cy - h / 2.0 - 15 * s, w, 30 * s));
        g.setColor(new Color(255, 255, 255, 170));
        for (int i = 0; i < 12; i++) {
            int dx = left + 15 + random.nextInt(Math.max(w - 40, 1));
            int dy = cy - h / 2 + 30 + random.nextInt(Math.max(h - 60, 1));
            int r = 6 + random.nextInt(14);
            g.fillOval(dx, dy, r, r);
        }
        label(g, random, left + 20, cy - 20, w - 40, 45);
    }

    private static void shoe(Graphics2D g, Random random, int cx, int cy, double s) {
        Color upper = vivid(random);
        GeneralPath path = new GeneralPath();
        double x0 = cx - 190 * s;
        double y0 = cy + 60 * s;
        path.moveTo(x0, y0);
        path.curveTo(x0, y0 - 80 * s, x0 + 90 * s, y0 - 120 * s, x0 + 150 * s, y0 - 110 * s);
        path.curveTo(x0 + 200 * s, y0 - 180 * s, x0 + 260 * s, y0 - 170 * s, x0 + 300 * s, y0 - 150 * s);
        path.curveTo(x0 + 360 * s, y0 - 80 * s, x0 + 390 * s, y0 - 30 * s, x0 + 380 * s, y0);
        path.closePath();
        g.setPaint(new GradientPaint((float) x0, (float) (y0 - 150 * s), upper.brighter(), (float) x0, (float) y0, upper.darker()));
        g.fill(path);
        g.setColor(new Color(235, 232, 225));
        g.fill(new RoundRectangle2D.Double(x0 - 5, y0 - 8 * s, 395 * s, 30 * s, 20, 20));
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke((float) (5 * s)));
        for (int i = 0; i < 5; i++) {
            double lx = x0 + (165 + i * 22) * s;
            g.drawLine((int) lx, (int) (y0 - (120 + i * 8) * s), (int) (lx + 30 * s), (int) (y0 - (105 + i * 8) * s));
        }
        label(g, random, (int) (x0 + 60 * s), (int) (y0 - 60 * s), (int) (120 * s), (int) (35 * s));
    }

    private static void phone(Graphics2D g, Random random, int cx, int cy, double s) {
        int w = (int) (140 * s);
        int h = (int) (280 * s);
        int x = cx - w / 2;
        int y = cy - h / 2;
        g.setColor(new Color(30, 30, 35));
        g.fill(new RoundRectangle2D.Double(x, y, w, h, 28, 28));
        Color screen = vivid(random);
        g.setPaint(new GradientPaint(x, y, screen, x + w, y + h, screen.darker().darker()));
        g.fillRect(x + 8, y + 24, w - 16, h - 48);
        g.setColor(new Color(255, 255, 255, 190));
        int icon = (w - 16) / 5;
        for (int row = 0; row < 5; row++) {
            for (int col = 0; col < 4; col++) {
                if (random.nextInt(5) > 0) {
                    g.fillRoundRect(x + 14 + col * (icon + 6), y + 40 + row * (icon + 14), icon, icon, 8, 8);
                }
            }
        }
        label(g, random, x + 10, y + h - 90, w - 20, 40);
    }

    /** Horizontal dark-light-dark shading of a lit cylinder. */
    private static void cylinderPaint(Graphics2D g, Color base, int left, int right) {
        g.setPaint(new LinearGradientPaint(left, 0, right, 0, new float[] {0f, 0.35f, 1f},
                new Color[] {base.darker().darker(), base.brighter(), base.darker()}));
    }

    private static void label(Graphics2D g, Random random, int x, int y, int w, int h) {
        if (w <= 4 || h <= 4) {
            return;
        }
        g.setColor(new Color(245, 240, 228));
        g.fillRect(x, y, w, h);
        g.setColor(vivid(random).darker());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, h / 2)));
        g.drawString(brand(random), x + 4, y + h * 2 / 3);
    }

    private static String brand(Random random) {
        StringBuilder name = new StringBuilder();
        int length = 4 + random.nextInt(4);
        for (int i = 0; i < length; i++) {
            name.append((char) ('A' + random.nextInt(26)));
        }
        return name.toString();
    }

    private static void addSensorNoise(BufferedImage image, Random random) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int n = (int) Math.round(random.nextGaussian() * 3);
                image.setRGB(x, y, (clamp(((rgb >> 16) & 0xff) + n) << 16)
                        | (clamp(((rgb >> 8) & 0xff) + n) << 8) | clamp((rgb & 0xff) + n));
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Color muted(Random random, int low, int high) {
        int base = low + random.nextInt(high - low);
        return new Color(clamp(base + random.nextInt(31) - 15), clamp(base + random.nextInt(31) - 15),
                clamp(base + random.nextInt(31) - 15));
    }

    private static Color vivid(Random random) {
        return Color.getHSBColor(random.nextFloat(), 0.5f + random.nextFloat() * 0.5f, 0.4f + random.nextFloat() * 0.5f);
    }
}
