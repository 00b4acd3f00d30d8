package io.refundguard.images.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Test fixture: independent photos of one product. The product (its kind, colours, printed
 * brand, logo and barcode) comes from a product seed; the photo (room and backdrop, where the
 * camera stands, how far, how tilted, the light, the sensor noise) from a scene seed. Two scene
 * seeds give the honest "another photo of the same product" case, including the hard one the
 * copy detector must still reject: a flat printed face (a box, a book cover) seen twice, which
 * shares many keypoints under a homography but none of the pixels around it.
 */
final class SameProductPhotos {
    enum Kind { BOX, BOOK, CAN, PHONE }

    private SameProductPhotos() {}

    /**
     * @param sameStudio the backdrop comes from the product seed, so two scenes share the room
     *     (kind, colours, pattern) and differ in where the camera stands and in the light: a second
     *     shot in the same studio, the hardest honest case
     */
    static BufferedImage photo(Kind kind, long productSeed, long sceneSeed, boolean sameStudio) {
        Random product = new Random(Seeds.mix(productSeed, kind.ordinal()));
        Random scene = new Random(Seeds.mix(sceneSeed, productSeed * 7 + kind.ordinal()));
        Random backdropRandom = sameStudio ? new Random(Seeds.mix(productSeed, 101)) : scene;
        int width = 640;
        int height = 480;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        // The room is larger than the frame: the camera sees a part of it that depends on where it
        // stands, so a second shot in the same studio does not repeat the backdrop's pixels.
        BufferedImage room = new BufferedImage(width * 13 / 10, height * 13 / 10, BufferedImage.TYPE_INT_RGB);
        Graphics2D r = Pictures.smoothGraphics(room);
        backdrop(r, room.getWidth(), room.getHeight(), backdropRandom);
        r.dispose();
        Graphics2D g = Pictures.smoothGraphics(image);
        double zoom = 1 + 0.08 * scene.nextDouble();
        int viewW = (int) (width / zoom);
        int viewH = (int) (height / zoom);
        int viewX = scene.nextInt(room.getWidth() - viewW);
        int viewY = scene.nextInt(room.getHeight() - viewH);
        g.drawImage(room.getSubimage(viewX, viewY, viewW, viewH), 0, 0, width, height, null);
        g.dispose();

        BufferedImage face = artwork(kind, product);
        double scale = (0.75 + 0.5 * scene.nextDouble()) * (kind == Kind.CAN ? 1.0 : 1.1);
        double cx = width * (0.5 + 0.12 * (scene.nextDouble() - 0.5) * 2);
        double cy = height * (0.5 + 0.08 * (scene.nextDouble() - 0.5) * 2);
        double yaw = Math.toRadians((scene.nextDouble() - 0.5) * 40);
        double pitch = Math.toRadians((scene.nextDouble() - 0.5) * 24);
        double roll = Math.toRadians((scene.nextDouble() - 0.5) * 16);
        double light = scene.nextDouble() * Math.PI * 2;
        double gain = 0.8 + 0.4 * scene.nextDouble();
        double faceW = face.getWidth() * scale * 0.9;
        double faceH = face.getHeight() * scale * 0.9;
        shadow(image, cx, cy + faceH * 0.5, faceW * 0.7);
        if (kind == Kind.CAN) {
            can(image, face, cx, cy, faceW, faceH, yaw, roll, light, gain);
        } else {
            double[] corners = projectRectangle(cx, cy, faceW, faceH, yaw, pitch, roll);
            double depth = kind == Kind.BOX ? faceW * 0.45 : kind == Kind.BOOK ? faceW * 0.08 : faceW * 0.05;
            Color sideColor = sideColor(kind, product);
            sides(image, corners, depth, yaw, pitch, sideColor, gain);
            paintFace(image, face, corners, light, gain);
        }
        addNoise(image, scene, 2 + 2.5 * scene.nextDouble());
        return Pictures.jpeg(image, 0.85f + 0.1f * scene.nextFloat());
    }

    // --- the product: artwork of the printed front face ---

    private static BufferedImage artwork(Kind kind, Random random) {
        int w = switch (kind) { case BOX -> 260; case BOOK -> 220; case CAN -> 300; case PHONE -> 150; };
        int h = switch (kind) { case BOX -> 200; case BOOK -> 300; case CAN -> 230; case PHONE -> 300; };
        BufferedImage art = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.smoothGraphics(art);
        Color base = Color.getHSBColor(random.nextFloat(), 0.5f + 0.4f * random.nextFloat(), 0.5f + 0.4f * random.nextFloat());
        Color accent = Color.getHSBColor(random.nextFloat(), 0.7f, 0.9f);
        if (kind == Kind.PHONE) {
            g.setColor(new Color(25, 25, 30));
            g.fillRect(0, 0, w, h);
            g.setPaint(new GradientPaint(0, 0, base, w, h, base.darker().darker()));
            g.fillRect(8, 24, w - 16, h - 48);
            g.setColor(new Color(255, 255, 255, 200));
            int icon = (w - 16) / 5;
            for (int row = 0; row < 6; row++) {
                for (int col = 0; col < 4; col++) {
                    if (random.nextInt(5) > 0) {
                        g.fillRoundRect(14 + col * (icon + 6), 40 + row * (icon + 14), icon, icon, 8, 8);
                    }
                }
            }
        } else {
            g.setPaint(new GradientPaint(0, 0, base.brighter(), w, h, base));
            g.fillRect(0, 0, w, h);
            g.setColor(accent);
            g.fill(new Ellipse2D.Double(w * 0.08, h * 0.08, w * 0.3, w * 0.3));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(4f));
            g.drawLine((int) (w * 0.12), (int) (h * 0.08 + w * 0.15), (int) (w * 0.34), (int) (h * 0.08 + w * 0.15));
            g.setColor(new Color(250, 246, 235));
            g.fill(new RoundRectangle2D.Double(w * 0.06, h * 0.5, w * 0.88, h * 0.24, 12, 12));
            g.setColor(base.darker().darker());
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, (int) (h * 0.14)));
            g.drawString(brand(random), (int) (w * 0.1), (int) (h * 0.67));
            g.setFont(new Font(Font.SERIF, Font.ITALIC, (int) (h * 0.06)));
            g.setColor(Color.WHITE);
            g.drawString("premium " + brand(random).toLowerCase(), (int) (w * 0.45), (int) (h * 0.22));
            // Barcode.
            g.setColor(Color.WHITE);
            g.fillRect((int) (w * 0.6), (int) (h * 0.8), (int) (w * 0.32), (int) (h * 0.14));
            g.setColor(Color.BLACK);
            int x = (int) (w * 0.62);
            while (x < w * 0.9) {
                int bar = 1 + random.nextInt(3);
                g.fillRect(x, (int) (h * 0.81), bar, (int) (h * 0.12));
                x += bar + 1 + random.nextInt(3);
            }
        }
        g.dispose();
        return art;
    }

    private static Color sideColor(Kind kind, Random random) {
        return kind == Kind.BOOK ? new Color(240, 236, 225) : Color.getHSBColor(random.nextFloat(), 0.4f, 0.5f);
    }

    private static String brand(Random random) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < 4 + random.nextInt(3); i++) {
            name.append((char) ('A' + random.nextInt(26)));
        }
        return name.toString();
    }

    // --- the scene ---

    private static void backdrop(Graphics2D g, int w, int h, Random random) {
        int kind = random.nextInt(4);
        Color a = Color.getHSBColor(random.nextFloat(), 0.1f + 0.3f * random.nextFloat(), 0.45f + 0.5f * random.nextFloat());
        Color b = Color.getHSBColor(random.nextFloat(), 0.1f + 0.3f * random.nextFloat(), 0.35f + 0.5f * random.nextFloat());
        switch (kind) {
            case 0 -> { // studio sweep with cloth weave
                g.setPaint(new GradientPaint(0, 0, a, 0, h, b));
                g.fillRect(0, 0, w, h);
                g.setColor(new Color(0, 0, 0, 16));
                int pitch = 5 + random.nextInt(6);
                for (int x = -h; x < w; x += pitch) {
                    g.drawLine(x, 0, x + h, h);
                }
            }
            case 1 -> { // wooden table and a wall
                int horizon = h / 4 + random.nextInt(h / 4);
                g.setColor(a);
                g.fillRect(0, 0, w, horizon);
                Color wood = new Color(120 + random.nextInt(60), 80 + random.nextInt(40), 40 + random.nextInt(20));
                g.setColor(wood);
                g.fillRect(0, horizon, w, h - horizon);
                double phase = random.nextDouble() * 10;
                for (int y = horizon; y < h; y += 2) {
                    int shade = (int) (20 * Math.sin(y * 0.15 + phase + Math.sin(y * 0.031) * 3));
                    g.setColor(new Color(Pictures.clamp(wood.getRed() + shade), Pictures.clamp(wood.getGreen() + shade),
                            Pictures.clamp(wood.getBlue() + shade / 2), 120));
                    g.drawLine(0, y, w, y + random.nextInt(3) - 1);
                }
            }
            case 2 -> { // carpet or fabric
                g.setColor(a);
                g.fillRect(0, 0, w, h);
                for (int i = 0; i < 6000; i++) {
                    int x = random.nextInt(w);
                    int y = random.nextInt(h);
                    int shade = random.nextInt(40) - 20;
                    g.setColor(new Color(Pictures.clamp(a.getRed() + shade), Pictures.clamp(a.getGreen() + shade),
                            Pictures.clamp(a.getBlue() + shade), 90));
                    g.fillOval(x, y, 3 + random.nextInt(4), 3 + random.nextInt(4));
                }
            }
            default -> { // floor tiles
                g.setColor(a);
                g.fillRect(0, 0, w, h);
                g.setColor(b);
                g.setStroke(new BasicStroke(2f + random.nextInt(3)));
                int tile = 60 + random.nextInt(80);
                int ox = random.nextInt(tile);
                int oy = random.nextInt(tile);
                for (int x = -ox; x < w; x += tile) {
                    g.drawLine(x, 0, x + w / 8, h);
                }
                for (int y = -oy; y < h; y += tile * 3 / 4) {
                    g.drawLine(0, y, w, y);
                }
            }
        }
    }

    private static void shadow(BufferedImage image, double cx, double floorY, double radius) {
        Graphics2D g = Pictures.smoothGraphics(image);
        for (int i = 0; i < 8; i++) {
            double rx = radius - i * radius / 10;
            g.setColor(new Color(0, 0, 0, 14));
            g.fill(new Ellipse2D.Double(cx - rx, floorY - rx / 5, 2 * rx, 2 * rx / 2.5));
        }
        g.dispose();
    }

    /** Corners of a w x h rectangle centred at (cx, cy), turned by yaw/pitch/roll, seen in perspective. */
    private static double[] projectRectangle(double cx, double cy, double w, double h, double yaw, double pitch, double roll) {
        double focal = 900;
        double[][] local = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
        double[] out = new double[8];
        for (int i = 0; i < 4; i++) {
            double x = local[i][0];
            double y = local[i][1];
            double z = 0;
            double x1 = x * Math.cos(yaw) + z * Math.sin(yaw);
            double z1 = -x * Math.sin(yaw) + z * Math.cos(yaw);
            double y2 = y * Math.cos(pitch) - z1 * Math.sin(pitch);
            double z2 = y * Math.sin(pitch) + z1 * Math.cos(pitch);
            double px = x1 * focal / (focal + z2);
            double py = y2 * focal / (focal + z2);
            out[2 * i] = cx + px * Math.cos(roll) - py * Math.sin(roll);
            out[2 * i + 1] = cy + px * Math.sin(roll) + py * Math.cos(roll);
        }
        return out;
    }

    private static void paintFace(BufferedImage image, BufferedImage face, double[] corners, double light, double gain) {
        Homography toImage = Homography.unitSquareTo(corners);
        Homography toFace = toImage.inverse();
        int minX = (int) Math.max(0, Math.floor(Math.min(Math.min(corners[0], corners[2]), Math.min(corners[4], corners[6]))));
        int maxX = (int) Math.min(image.getWidth() - 1, Math.ceil(Math.max(Math.max(corners[0], corners[2]), Math.max(corners[4], corners[6]))));
        int minY = (int) Math.max(0, Math.floor(Math.min(Math.min(corners[1], corners[3]), Math.min(corners[5], corners[7]))));
        int maxY = (int) Math.min(image.getHeight() - 1, Math.ceil(Math.max(Math.max(corners[1], corners[3]), Math.max(corners[5], corners[7]))));
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double[] uv = toFace.map(x + 0.5, y + 0.5);
                if (uv[0] < 0 || uv[0] >= 1 || uv[1] < 0 || uv[1] >= 1) {
                    continue;
                }
                int rgb = bilinear(face, uv[0] * face.getWidth() - 0.5, uv[1] * face.getHeight() - 0.5);
                double shade = gain * (0.85 + 0.25 * ((uv[0] - 0.5) * Math.cos(light) + (uv[1] - 0.5) * Math.sin(light)));
                double highlight = 60 * Math.exp(-Math.pow((uv[0] * Math.cos(light + 1) + uv[1] * Math.sin(light + 1) - 0.4) / 0.08, 2));
                image.setRGB(x, y, lit(rgb, shade, highlight));
            }
        }
    }

    /** The thickness of a box or book: two parallelograms behind the front face, in darker shades. */
    private static void sides(BufferedImage image, double[] c, double depth, double yaw, double pitch, Color color, double gain) {
        double dx = -Math.sin(yaw) * depth;
        double dy = Math.sin(pitch) * depth - depth * 0.35;
        Graphics2D g = Pictures.smoothGraphics(image);
        int side = dx >= 0 ? 1 : 0; // the right edge (corners 1, 2) or the left (0, 3)
        int a = side == 1 ? 1 : 0;
        int b = side == 1 ? 2 : 3;
        java.awt.geom.Path2D.Double sideFace = new java.awt.geom.Path2D.Double();
        sideFace.moveTo(c[2 * a], c[2 * a + 1]);
        sideFace.lineTo(c[2 * a] + dx, c[2 * a + 1] + dy);
        sideFace.lineTo(c[2 * b] + dx, c[2 * b + 1] + dy);
        sideFace.lineTo(c[2 * b], c[2 * b + 1]);
        sideFace.closePath();
        g.setColor(scaled(color, 0.7 * gain));
        g.fill(sideFace);
        java.awt.geom.Path2D.Double top = new java.awt.geom.Path2D.Double();
        top.moveTo(c[0], c[1]);
        top.lineTo(c[0] + dx, c[1] + dy);
        top.lineTo(c[2] + dx, c[3] + dy);
        top.lineTo(c[2], c[3]);
        top.closePath();
        g.setColor(scaled(color, 1.05 * gain));
        g.fill(top);
        g.dispose();
    }

    /** A can: the artwork wrapped round a cylinder, turned by yaw (which part of the wrap faces us). */
    private static void can(BufferedImage image, BufferedImage face, double cx, double cy, double w, double h, double yaw,
            double roll, double light, double gain) {
        double radius = w / 2;
        double cos = Math.cos(roll);
        double sin = Math.sin(roll);
        for (int y = (int) (cy - h); y < cy + h; y++) {
            for (int x = (int) (cx - h); x < cx + h; x++) {
                if (x < 0 || y < 0 || x >= image.getWidth() || y >= image.getHeight()) {
                    continue;
                }
                double px = (x + 0.5 - cx) * cos + (y + 0.5 - cy) * sin;
                double py = -(x + 0.5 - cx) * sin + (y + 0.5 - cy) * cos;
                if (Math.abs(px) >= radius || Math.abs(py) >= h / 2) {
                    continue;
                }
                double angle = Math.asin(px / radius);
                double u = 0.5 + (angle + yaw) / (Math.PI * 1.2);
                if (u < 0 || u >= 1) {
                    continue;
                }
                double v = py / h + 0.5;
                int rgb = bilinear(face, u * face.getWidth() - 0.5, v * face.getHeight() - 0.5);
                double shade = gain * (0.55 + 0.5 * Math.cos(angle - 0.6 * Math.cos(light)));
                double highlight = 70 * Math.exp(-Math.pow((angle + 0.5 * Math.sin(light)) / 0.12, 2));
                image.setRGB(x, y, lit(rgb, shade, highlight));
            }
        }
    }

    private static int bilinear(BufferedImage image, double x, double y) {
        int w = image.getWidth();
        int h = image.getHeight();
        x = Math.max(0, Math.min(w - 1.001, x));
        y = Math.max(0, Math.min(h - 1.001, y));
        int x0 = (int) x;
        int y0 = (int) y;
        double fx = x - x0;
        double fy = y - y0;
        int[] c = {image.getRGB(x0, y0), image.getRGB(x0 + 1, y0), image.getRGB(x0, y0 + 1), image.getRGB(x0 + 1, y0 + 1)};
        int out = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            double top = ((c[0] >> shift) & 0xff) * (1 - fx) + ((c[1] >> shift) & 0xff) * fx;
            double bottom = ((c[2] >> shift) & 0xff) * (1 - fx) + ((c[3] >> shift) & 0xff) * fx;
            out |= ((int) Math.round(top * (1 - fy) + bottom * fy)) << shift;
        }
        return out;
    }

    private static int lit(int rgb, double shade, double highlight) {
        int r = Pictures.clamp((int) Math.round(((rgb >> 16) & 0xff) * shade + highlight));
        int g = Pictures.clamp((int) Math.round(((rgb >> 8) & 0xff) * shade + highlight));
        int b = Pictures.clamp((int) Math.round((rgb & 0xff) * shade + highlight));
        return (r << 16) | (g << 8) | b;
    }

    private static Color scaled(Color c, double f) {
        return new Color(Pictures.clamp((int) (c.getRed() * f)), Pictures.clamp((int) (c.getGreen() * f)),
                Pictures.clamp((int) (c.getBlue() * f)));
    }

    private static void addNoise(BufferedImage image, Random random, double sigma) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int n = (int) Math.round(random.nextGaussian() * sigma);
                image.setRGB(x, y, (Pictures.clamp(((rgb >> 16) & 0xff) + n) << 16)
                        | (Pictures.clamp(((rgb >> 8) & 0xff) + n) << 8) | Pictures.clamp((rgb & 0xff) + n));
            }
        }
    }
}
