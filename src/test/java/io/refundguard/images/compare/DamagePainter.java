package io.refundguard.images.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Test fixture: the damage a refund fraudster paints onto a listing photo, sized to the photo
 * and placed on the product (near the middle), with a strength from 0 to 1. Stains, tears and
 * fills cover 3% + 22% x strength of the frame, so up to a quarter at strength 1. Each painter
 * returns the box it changed, in the photo's pixels, so tests can check where regions are found.
 */
final class DamagePainter {
    private DamagePainter() {}

    record Painted(BufferedImage image, Rectangle box) {}

    static double areaShare(double strength) {
        return 0.03 + 0.22 * strength;
    }

    /** A jagged crack with branches; dark on light surfaces, light on dark ones (as on glass). */
    static Painted crack(BufferedImage photo, double strength, Random random) {
        BufferedImage out = Pictures.rgb(photo);
        Graphics2D g = Pictures.smoothGraphics(out);
        double side = Math.min(out.getWidth(), out.getHeight());
        double[] start = nearCentre(out, random, 0.08);
        double angle = random.nextDouble() * Math.PI * 2;
        double length = (0.3 + 0.4 * strength) * side;
        float width = (float) Math.max(1.5, side * (0.005 + 0.004 * random.nextDouble()));
        int local = localGrey(out, (int) start[0], (int) start[1]);
        Color ink = local > 90 ? new Color(25, 20, 18, 235) : new Color(235, 235, 230, 235);
        Path2D.Double main = jagged(start[0], start[1], angle, length, side, random);
        Path2D.Double back = jagged(start[0], start[1], angle + Math.PI, length * 0.5, side, random);
        g.setColor(ink);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_MITER));
        g.draw(main);
        g.draw(back);
        Area covered = new Area(new BasicStroke(width + 2).createStrokedShape(main));
        covered.add(new Area(new BasicStroke(width + 2).createStrokedShape(back)));
        g.setStroke(new BasicStroke(Math.max(1f, width * 0.6f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_MITER));
        int branches = 2 + (int) Math.round(3 * strength);
        for (int b = 0; b < branches; b++) {
            double[] from = along(main, random);
            Path2D.Double branch = jagged(from[0], from[1], angle + (random.nextBoolean() ? 1 : -1) * (0.5 + random.nextDouble()),
                    length * (0.15 + 0.2 * random.nextDouble()), side, random);
            g.draw(branch);
            covered.add(new Area(new BasicStroke(width + 2).createStrokedShape(branch)));
        }
        g.dispose();
        return new Painted(out, clip(covered.getBounds(), out));
    }

    /** Overlapping tea-coloured blobs with a darker tide mark and a few splashes. */
    static Painted stain(BufferedImage photo, double strength, Random random) {
        BufferedImage out = Pictures.rgb(photo);
        Area blot = blob(out, areaShare(strength), random, 4 + random.nextInt(4));
        Graphics2D g = Pictures.smoothGraphics(out);
        Color tea = new Color(95 + random.nextInt(40), 55 + random.nextInt(25), 20 + random.nextInt(15));
        int alpha = 90 + random.nextInt(50);
        java.awt.Rectangle b = blot.getBounds();
        g.setPaint(new GradientPaint(b.x, b.y, withAlpha(tea, alpha), b.x + b.width, b.y + b.height,
                withAlpha(tea.darker(), alpha + 20)));
        g.fill(blot);
        double side = Math.min(out.getWidth(), out.getHeight());
        g.setColor(withAlpha(tea.darker().darker(), 150));
        g.setStroke(new BasicStroke((float) Math.max(1.5, side * 0.005)));
        g.draw(blot);
        for (int i = 0; i < 4 + random.nextInt(5); i++) {
            double r = side * (0.005 + 0.012 * random.nextDouble());
            double x = b.getCenterX() + (random.nextDouble() - 0.5) * b.width * 1.1;
            double y = b.getCenterY() + (random.nextDouble() - 0.5) * b.height * 1.1;
            g.setColor(withAlpha(tea, alpha + 30));
            g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            blot.add(new Area(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r)));
        }
        g.dispose();
        return new Painted(out, clip(blot.getBounds(), out));
    }

    /** A torn-open hole: jagged edge, exposed cardboard or paper backing with fibres, shadowed rim. */
    static Painted tear(BufferedImage photo, double strength, Random random) {
        BufferedImage out = Pictures.rgb(photo);
        double side = Math.min(out.getWidth(), out.getHeight());
        double[] c = nearCentre(out, random, 0.08);
        double target = areaShare(strength) * out.getWidth() * out.getHeight();
        double aspect = 0.6 + 0.8 * random.nextDouble();
        int vertices = 48;
        double[] radius = new double[vertices];
        double phase = random.nextDouble() * Math.PI * 2;
        for (int i = 0; i < vertices; i++) {
            double t = 2 * Math.PI * i / vertices;
            radius[i] = 1 + 0.2 * Math.sin(3 * t + phase) + (i % 2 == 0 ? 0.09 : -0.09) + 0.06 * random.nextGaussian();
        }
        double unitArea = 0;
        for (int i = 0; i < vertices; i++) {
            double t1 = 2 * Math.PI * i / vertices;
            double t2 = 2 * Math.PI * (i + 1) / vertices;
            unitArea += 0.5 * aspect * radius[i] * radius[(i + 1) % vertices] * Math.sin(t2 - t1);
        }
        double scale = Math.sqrt(target / unitArea);
        Polygon hole = new Polygon();
        for (int i = 0; i < vertices; i++) {
            double t = 2 * Math.PI * i / vertices;
            hole.addPoint((int) Math.round(c[0] + scale * radius[i] * Math.cos(t)),
                    (int) Math.round(c[1] + scale * aspect * radius[i] * Math.sin(t)));
        }
        Graphics2D g = Pictures.smoothGraphics(out);
        boolean cardboard = random.nextBoolean();
        Color backing = cardboard ? new Color(176 + random.nextInt(20), 138 + random.nextInt(15), 92)
                : new Color(232, 226, 212);
        java.awt.Rectangle b = hole.getBounds();
        g.setPaint(new GradientPaint(b.x, b.y, backing, b.x + b.width, b.y + b.height, backing.darker()));
        g.fill(hole);
        g.setClip(hole);
        g.setColor(withAlpha(backing.darker().darker(), 120));
        for (int f = 0; f < 60 + (int) (side / 4); f++) {
            int x = b.x + random.nextInt(Math.max(1, b.width));
            int y = b.y + random.nextInt(Math.max(1, b.height));
            int len = 2 + random.nextInt((int) Math.max(3, side * 0.02));
            double a = random.nextDouble() * Math.PI;
            g.drawLine(x, y, x + (int) (len * Math.cos(a)), y + (int) (len * Math.sin(a)));
        }
        if (cardboard) {
            // Corrugation ridges of the exposed board.
            g.setColor(withAlpha(backing.darker(), 90));
            int pitch = (int) Math.max(3, side * 0.012);
            for (int x = b.x; x < b.x + b.width; x += pitch) {
                g.drawLine(x, b.y, x + b.height / 6, b.y + b.height);
            }
        }
        g.setClip(null);
        g.setColor(new Color(245, 242, 235, 220));
        g.setStroke(new BasicStroke((float) Math.max(2, side * 0.008)));
        g.draw(hole);
        g.setColor(new Color(35, 30, 25, 200));
        g.setStroke(new BasicStroke((float) Math.max(1.5, side * 0.004)));
        g.draw(hole);
        g.dispose();
        return new Painted(out, clip(grow(b, (int) Math.ceil(side * 0.006)), out));
    }

    /**
     * A "generative fill": a feathered region replaced by plausible other content. Variant by
     * seed: smooth inpainting with grain (removes structure), content cloned from elsewhere in
     * the photo, or a pasted synthetic object on an inpainted ground.
     */
    static Painted fill(BufferedImage photo, double strength, Random random) {
        BufferedImage out = Pictures.rgb(photo);
        int w = out.getWidth();
        int h = out.getHeight();
        double target = areaShare(strength) * w * h;
        double aspect = 0.6 + 0.8 * random.nextDouble();
        double rx = Math.sqrt(target / (Math.PI * aspect));
        double ry = rx * aspect;
        rx = Math.min(rx, w * 0.45);
        ry = Math.min(ry, h * 0.45);
        double[] c = nearCentre(out, random, 0.06);
        c[0] = Math.max(rx, Math.min(w - rx, c[0]));
        c[1] = Math.max(ry, Math.min(h - ry, c[1]));
        Shape region = random.nextBoolean() ? new Ellipse2D.Double(c[0] - rx, c[1] - ry, 2 * rx, 2 * ry)
                : new RoundRectangle2D.Double(c[0] - rx * 0.9, c[1] - ry * 0.9, 1.8 * rx, 1.8 * ry, rx, ry);
        float[] mask = feather(region, w, h, Math.max(2, Math.min(w, h) * 0.015));
        int variant = random.nextInt(3);
        BufferedImage content = switch (variant) {
            case 0 -> grain(smooth(out), random);
            case 1 -> clone(out, c, rx, ry, random);
            default -> object(grain(smooth(out), random), c, rx, ry, random);
        };
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float a = mask[y * w + x];
                if (a > 0) {
                    out.setRGB(x, y, blend(out.getRGB(x, y), content.getRGB(x, y), a));
                }
            }
        }
        return new Painted(out, clip(region.getBounds(), out));
    }

    /** Heavy blur by shrinking 16x and enlarging again: smooth, plausible colours, no detail. */
    private static BufferedImage smooth(BufferedImage image) {
        int sw = Math.max(2, image.getWidth() / 16);
        int sh = Math.max(2, image.getHeight() / 16);
        BufferedImage small = Pictures.resize(image, sw, sh);
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.smoothGraphics(out);
        g.drawImage(small, 0, 0, image.getWidth(), image.getHeight(), null);
        g.dispose();
        return out;
    }

    /** Fine random texture, as a generator leaves on an inpainted surface. */
    private static BufferedImage grain(BufferedImage image, Random random) {
        double sigma = 3 + 5 * random.nextDouble();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int n = (int) Math.round(random.nextGaussian() * sigma);
                image.setRGB(x, y, (Pictures.clamp(((rgb >> 16) & 0xff) + n) << 16)
                        | (Pictures.clamp(((rgb >> 8) & 0xff) + n) << 8) | Pictures.clamp((rgb & 0xff) + n));
            }
        }
        return image;
    }

    /** The photo shifted so that another part of it lands on the region (copy-move). */
    private static BufferedImage clone(BufferedImage image, double[] c, double rx, double ry, Random random) {
        int w = image.getWidth();
        int h = image.getHeight();
        double best = -1;
        int dx = 0;
        int dy = 0;
        for (int attempt = 0; attempt < 20; attempt++) {
            double sx = rx + random.nextDouble() * Math.max(1, w - 2 * rx);
            double sy = ry + random.nextDouble() * Math.max(1, h - 2 * ry);
            double far = Math.hypot((sx - c[0]) / rx, (sy - c[1]) / ry);
            if (far > best) {
                best = far;
                dx = (int) Math.round(sx - c[0]);
                dy = (int) Math.round(sy - c[1]);
            }
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = Math.max(0, Math.min(w - 1, x + dx));
                int sy = Math.max(0, Math.min(h - 1, y + dy));
                out.setRGB(x, y, image.getRGB(sx, sy));
            }
        }
        return out;
    }

    /** A shaded, glossy object (a ball or a box) with a soft shadow, painted on the ground. */
    private static BufferedImage object(BufferedImage ground, double[] c, double rx, double ry, Random random) {
        Graphics2D g = Pictures.smoothGraphics(ground);
        Color color = Color.getHSBColor(random.nextFloat(), 0.5f + 0.4f * random.nextFloat(), 0.5f + 0.4f * random.nextFloat());
        double r = 0.6 * Math.min(rx, ry);
        g.setColor(new Color(0, 0, 0, 70));
        g.fill(new Ellipse2D.Double(c[0] - r, c[1] + r * 0.6, 2 * r, r * 0.6));
        Shape body = random.nextBoolean() ? new Ellipse2D.Double(c[0] - r, c[1] - r, 2 * r, 2 * r)
                : new RoundRectangle2D.Double(c[0] - r, c[1] - r * 0.8, 2 * r, 1.6 * r, r * 0.3, r * 0.3);
        g.setPaint(new GradientPaint((float) (c[0] - r), (float) (c[1] - r), color.brighter(), (float) (c[0] + r),
                (float) (c[1] + r), color.darker().darker()));
        g.fill(body);
        g.setColor(new Color(255, 255, 255, 150));
        g.fill(new Ellipse2D.Double(c[0] - r * 0.55, c[1] - r * 0.6, r * 0.5, r * 0.3));
        g.setColor(color.darker().darker().darker());
        g.setStroke(new BasicStroke((float) Math.max(1.5, r * 0.04)));
        g.draw(body);
        g.dispose();
        return ground;
    }

    /** Region mask 0-1 with edges softened over {@code radius} pixels (three box blurs). */
    private static float[] feather(Shape region, int w, int h, double radius) {
        BufferedImage m = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = Pictures.smoothGraphics(m);
        g.setColor(Color.WHITE);
        g.fill(region);
        g.dispose();
        float[] mask = new float[w * h];
        m.getRaster().getSamples(0, 0, w, h, 0, mask);
        for (int i = 0; i < mask.length; i++) {
            mask[i] /= 255f;
        }
        int r = Math.max(1, (int) Math.round(radius / 3));
        for (int pass = 0; pass < 3; pass++) {
            mask = boxBlur(mask, w, h, r);
        }
        return mask;
    }

    private static float[] boxBlur(float[] in, int w, int h, int r) {
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -r; k <= r; k++) {
                    s += in[y * w + Math.max(0, Math.min(w - 1, x + k))];
                }
                tmp[y * w + x] = s / (2 * r + 1);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float s = 0;
                for (int k = -r; k <= r; k++) {
                    s += tmp[Math.max(0, Math.min(h - 1, y + k)) * w + x];
                }
                out[y * w + x] = s / (2 * r + 1);
            }
        }
        return out;
    }

    /** A union of ellipses around a point near the centre, scaled until it covers {@code share} of the frame. */
    private static Area blob(BufferedImage image, double share, Random random, int blobs) {
        int w = image.getWidth();
        int h = image.getHeight();
        double[] c = nearCentre(image, random, 0.08);
        double[][] parts = new double[blobs][4];
        for (double[] p : parts) {
            p[0] = random.nextGaussian() * 0.45;
            p[1] = random.nextGaussian() * 0.35;
            p[2] = 0.5 + 0.5 * random.nextDouble();
            p[3] = 0.4 + 0.5 * random.nextDouble();
        }
        double unit = Math.sqrt(share * w * h / Math.PI);
        Area area = null;
        for (int round = 0; round < 4; round++) {
            area = new Area();
            for (double[] p : parts) {
                double rx = p[2] * unit;
                double ry = p[3] * unit;
                double x = c[0] + p[0] * unit;
                double y = c[1] + p[1] * unit;
                area.add(new Area(new Ellipse2D.Double(x - rx, y - ry, 2 * rx, 2 * ry)));
            }
            area.intersect(new Area(new Rectangle(0, 0, w, h)));
            double covered = coverage(area, w, h);
            unit *= Math.sqrt(share / Math.max(1e-4, covered));
        }
        return area;
    }

    static double coverage(Shape shape, int w, int h) {
        int step = Math.max(1, Math.min(w, h) / 200);
        int inside = 0;
        int total = 0;
        for (int y = step / 2; y < h; y += step) {
            for (int x = step / 2; x < w; x += step) {
                total++;
                if (shape.contains(x + 0.5, y + 0.5)) {
                    inside++;
                }
            }
        }
        return (double) inside / total;
    }

    private static Path2D.Double jagged(double x, double y, double angle, double length, double side, Random random) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(x, y);
        double heading = angle;
        double travelled = 0;
        while (travelled < length) {
            heading += (random.nextDouble() - 0.5) * 1.1;
            double step = side * (0.015 + 0.03 * random.nextDouble());
            x += Math.cos(heading) * step;
            y += Math.sin(heading) * step;
            path.lineTo(x, y);
            travelled += step;
            heading = heading * 0.7 + angle * 0.3;
        }
        return path;
    }

    private static double[] along(Path2D.Double path, Random random) {
        java.awt.geom.PathIterator it = path.getPathIterator(null);
        java.util.List<double[]> points = new java.util.ArrayList<>();
        double[] p = new double[6];
        while (!it.isDone()) {
            it.currentSegment(p);
            points.add(new double[] {p[0], p[1]});
            it.next();
        }
        return points.get(random.nextInt(points.size()));
    }

    static double[] nearCentre(BufferedImage image, Random random, double spread) {
        return new double[] {image.getWidth() * (0.5 + spread * random.nextGaussian()),
                image.getHeight() * (0.5 + spread * random.nextGaussian())};
    }

    private static int localGrey(BufferedImage image, int x, int y) {
        int sum = 0;
        int n = 0;
        int r = Math.max(2, Math.min(image.getWidth(), image.getHeight()) / 20);
        for (int yy = Math.max(0, y - r); yy < Math.min(image.getHeight(), y + r); yy += 2) {
            for (int xx = Math.max(0, x - r); xx < Math.min(image.getWidth(), x + r); xx += 2) {
                sum += Pictures.grey(image.getRGB(xx, yy));
                n++;
            }
        }
        return n == 0 ? 128 : sum / n;
    }

    private static int blend(int base, int top, float a) {
        int r = Math.round(((base >> 16) & 0xff) * (1 - a) + ((top >> 16) & 0xff) * a);
        int g = Math.round(((base >> 8) & 0xff) * (1 - a) + ((top >> 8) & 0xff) * a);
        int b = Math.round((base & 0xff) * (1 - a) + (top & 0xff) * a);
        return (r << 16) | (g << 8) | b;
    }

    private static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), Math.max(0, Math.min(255, alpha)));
    }

    private static Rectangle grow(Rectangle r, int by) {
        return new Rectangle(r.x - by, r.y - by, r.width + 2 * by, r.height + 2 * by);
    }

    private static Rectangle clip(Rectangle r, BufferedImage image) {
        return r.intersection(new Rectangle(0, 0, image.getWidth(), image.getHeight()));
    }
}
