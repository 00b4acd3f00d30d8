package io.refundguard.images;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Test fixture: the fakes a refund fraudster paints onto a merchant's listing photo to claim
 * "arrived damaged" — cracks, stains and tears — placed on the product in the middle of the frame.
 */
final class ImageDefects {
    private ImageDefects() {}

    static BufferedImage crack(BufferedImage photo, Random random) {
        BufferedImage out = copy(photo);
        Graphics2D g = graphics(out);
        double[] start = pointOnProduct(out, random);
        double angle = random.nextDouble() * Math.PI * 2;
        Path2D.Double main = jaggedLine(start[0], start[1], angle, 14 + random.nextInt(8), random);
        g.setColor(new Color(25, 20, 18, 230));
        g.setStroke(new BasicStroke(2.5f + random.nextFloat() * 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_MITER));
        g.draw(main);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_MITER));
        for (int branch = 0; branch < 2 + random.nextInt(2); branch++) {
            double[] from = pointAlong(main, random);
            g.draw(jaggedLine(from[0], from[1], angle + (random.nextBoolean() ? 1 : -1) * (0.6 + random.nextDouble()),
                    5 + random.nextInt(5), random));
        }
        g.dispose();
        return out;
    }

    static BufferedImage stain(BufferedImage photo, Random random) {
        BufferedImage out = copy(photo);
        Graphics2D g = graphics(out);
        double[] centre = pointOnProduct(out, random);
        Color tea = new Color(105 + random.nextInt(30), 65 + random.nextInt(20), 25, 70 + random.nextInt(40));
        g.setColor(tea);
        for (int blob = 0; blob < 3 + random.nextInt(4); blob++) {
            double rx = 18 + random.nextDouble() * 30;
            double ry = 14 + random.nextDouble() * 26;
            double x = centre[0] + random.nextGaussian() * 22;
            double y = centre[1] + random.nextGaussian() * 18;
            g.fill(new Ellipse2D.Double(x - rx, y - ry, 2 * rx, 2 * ry));
        }
        // The darker tide mark where a dried liquid stain ends.
        g.setColor(new Color(tea.getRed() - 40, tea.getGreen() - 30, 15, 120));
        g.setStroke(new BasicStroke(2f));
        double r = 35 + random.nextDouble() * 15;
        g.draw(new Ellipse2D.Double(centre[0] - r, centre[1] - r * 0.8, 2 * r, 1.6 * r));
        g.dispose();
        return out;
    }

    static BufferedImage tear(BufferedImage photo, Random random) {
        BufferedImage out = copy(photo);
        Graphics2D g = graphics(out);
        double[] corner = pointOnProduct(out, random);
        int width = 70 + random.nextInt(40);
        int height = 35 + random.nextInt(25);
        Polygon flap = new Polygon();
        flap.addPoint((int) corner[0], (int) corner[1]);
        int teeth = 10;
        for (int i = 1; i <= teeth; i++) {
            int x = (int) corner[0] + i * width / teeth;
            int y = (int) corner[1] + (i % 2 == 0 ? -1 : 1) * (3 + random.nextInt(6)) + i * height / (2 * teeth);
            flap.addPoint(x, y);
        }
        flap.addPoint((int) corner[0] + width - random.nextInt(15), (int) corner[1] + height);
        flap.addPoint((int) corner[0] + random.nextInt(15), (int) corner[1] + height - random.nextInt(10));
        g.setColor(new Color(232, 226, 210));
        g.fill(flap);
        g.setColor(new Color(180, 172, 160, 160));
        for (int fibre = 0; fibre < 25; fibre++) {
            int x = (int) corner[0] + random.nextInt(width);
            int y = (int) corner[1] + random.nextInt(height);
            g.drawLine(x, y, x + random.nextInt(7) - 3, y + random.nextInt(7) - 3);
        }
        g.setColor(new Color(40, 35, 30, 200));
        g.setStroke(new BasicStroke(2f));
        g.draw(flap);
        g.dispose();
        return out;
    }

    private static Path2D.Double jaggedLine(double x, double y, double angle, int segments, Random random) {
        Path2D.Double path = new Path2D.Double();
        path.moveTo(x, y);
        double heading = angle;
        for (int i = 0; i < segments; i++) {
            heading += (random.nextDouble() - 0.5) * 1.2;
            double length = 8 + random.nextDouble() * 14;
            x += Math.cos(heading) * length;
            y += Math.sin(heading) * length;
            path.lineTo(x, y);
            heading = heading * 0.7 + angle * 0.3;
        }
        return path;
    }

    private static double[] pointAlong(Path2D.Double path, Random random) {
        Rectangle2D bounds = path.getBounds2D();
        return new double[] {bounds.getX() + random.nextDouble() * bounds.getWidth(),
                bounds.getY() + random.nextDouble() * bounds.getHeight()};
    }

    private static double[] pointOnProduct(BufferedImage image, Random random) {
        return new double[] {image.getWidth() / 2.0 + random.nextGaussian() * 40,
                image.getHeight() / 2.0 + random.nextGaussian() * 30};
    }

    private static BufferedImage copy(BufferedImage photo) {
        BufferedImage out = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(photo, 0, 0, null);
        g.dispose();
        return out;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        return g;
    }
}
