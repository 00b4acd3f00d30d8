package io.refundguard.images.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.Random;

/**
 * Test fixture: a phone screenshot of a shop's product page showing the listing photo: status
 * bar, app header, the photo (full width, or a card with margins as strength grows), price,
 * title, tags and a button bar, on a white or grey page; then possibly shrunk ("or a smaller
 * equivalent") and saved as PNG or JPEG.
 */
final class PhoneScreenshot {
    /** Common phone screen sizes, portrait. */
    private static final int[][] SCREENS = {{1080, 2340}, {1170, 2532}, {828, 1792}, {720, 1560}, {750, 1334}};
    private static final String[] TITLES = {"Premium quality, fast delivery, 30-day returns",
        "Original product - brand new, sealed box", "Limited offer: free shipping on orders over 49",
        "Best seller in its category, 4.8 stars from 2,315 reviews"};

    /**
     * @param image the screenshot
     * @param scaleX screenshot pixels per listing pixel, across (continuous coordinates)
     * @param scaleY down
     * @param offsetX where the listing's left edge is, in screenshot pixels
     * @param offsetY where its top edge is
     */
    record Shot(BufferedImage image, double scaleX, double scaleY, double offsetX, double offsetY) {}

    private PhoneScreenshot() {}

    static Shot of(BufferedImage listing, double strength, Random random) {
        int[] screen = SCREENS[random.nextInt(SCREENS.length)];
        int w = screen[0];
        int h = screen[1];
        BufferedImage shot = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Pictures.smoothGraphics(shot);
        Color page = random.nextBoolean() ? Color.WHITE : new Color(242, 242, 245);
        g.setColor(page);
        g.fillRect(0, 0, w, h);

        int status = h * 35 / 1000;
        boolean darkStatus = random.nextBoolean();
        g.setColor(darkStatus ? Color.BLACK : page);
        g.fillRect(0, 0, w, status);
        g.setColor(darkStatus ? Color.WHITE : Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, status * 11 / 20));
        g.drawString(String.format("%d:%02d", 8 + random.nextInt(12), random.nextInt(60)), w / 20, status * 3 / 4);
        g.fillRoundRect(w - w / 8, status / 3, w / 14, status / 3, 6, 6);
        for (int bar = 0; bar < 4; bar++) {
            int bh = status * (bar + 1) / 8;
            g.fillRect(w - w / 4 + bar * w / 60, status * 2 / 3 - bh, w / 90, bh);
        }

        int header = h * 50 / 1000;
        g.setColor(page);
        g.fillRect(0, status, w, header);
        g.setColor(new Color(40, 40, 40));
        g.setStroke(new BasicStroke(Math.max(2f, w / 250f)));
        g.drawLine(w / 20 + header / 4, status + header / 2, w / 20, status + header / 2);
        g.drawLine(w / 20, status + header / 2, w / 20 + header / 5, status + header / 4);
        g.drawLine(w / 20, status + header / 2, w / 20 + header / 5, status + header * 3 / 4);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, header * 2 / 5));
        g.drawString("Product details", w / 2 - w / 6, status + header * 2 / 3);

        double margin = strength * 0.15 * (0.6 + 0.4 * random.nextDouble());
        int pw = (int) Math.round(w * (1 - 2 * margin));
        int ph = (int) Math.round((double) pw * listing.getHeight() / listing.getWidth());
        int maxHeight = h * 55 / 100;
        if (ph > maxHeight) {
            ph = maxHeight;
            pw = (int) Math.round((double) ph * listing.getWidth() / listing.getHeight());
        }
        int px = (w - pw) / 2;
        int py = status + header + (margin > 0 ? (int) (w * margin / 2) : 0);
        g.drawImage(listing, px, py, pw, ph, null);
        if (margin > 0) {
            g.setColor(new Color(220, 220, 220));
            g.setStroke(new BasicStroke(2f));
            g.drawRect(px - 1, py - 1, pw + 1, ph + 1);
        }
        int dotY = py + ph + h / 60;
        for (int d = 0; d < 5; d++) {
            g.setColor(d == 0 ? new Color(255, 80, 0) : new Color(200, 200, 200));
            g.fillOval(w / 2 - 5 * w / 80 + d * w / 40, dotY, w / 100, w / 100);
        }

        int text = dotY + h / 30;
        g.setColor(new Color(230, 40 + random.nextInt(60), 20));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, h / 28));
        g.drawString(String.format("\u00a5%d.%02d", 19 + random.nextInt(900), random.nextInt(100)), w / 20, text + h / 28);
        g.setColor(new Color(150, 150, 150));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, h / 60));
        g.drawString(String.format("\u00a5%d.00", 999 + random.nextInt(500)), w / 2, text + h / 28);
        g.setColor(new Color(30, 30, 30));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, h / 48));
        String title = TITLES[random.nextInt(TITLES.length)];
        g.drawString(title.substring(0, title.length() / 2), w / 20, text + h / 28 + h / 22);
        g.drawString(title.substring(title.length() / 2), w / 20, text + h / 28 + 2 * h / 22);
        g.setColor(new Color(255, 235, 225));
        g.fill(new RoundRectangle2D.Double(w / 20.0, text + h / 28.0 + 2.4 * h / 22, w / 3.5, h / 40.0, 12, 12));
        g.setColor(new Color(230, 60, 20));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, h / 70));
        g.drawString("Free shipping", w / 20 + 12, (int) (text + h / 28.0 + 2.4 * h / 22 + h / 55.0));

        if (random.nextInt(4) > 0) {
            int bar = h * 7 / 100;
            g.setColor(page == Color.WHITE ? new Color(248, 248, 248) : Color.WHITE);
            g.fillRect(0, h - bar, w, bar);
            g.setColor(new Color(255, 150, 0));
            g.fill(new RoundRectangle2D.Double(w * 0.36, h - bar * 0.85, w * 0.3, bar * 0.7, bar * 0.7, bar * 0.7));
            g.setColor(new Color(240, 40, 30));
            g.fill(new RoundRectangle2D.Double(w * 0.67, h - bar * 0.85, w * 0.3, bar * 0.7, bar * 0.7, bar * 0.7));
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, bar / 3));
            g.drawString("Add to cart", (int) (w * 0.39), h - bar * 4 / 10);
            g.drawString("Buy now", (int) (w * 0.72), h - bar * 4 / 10);
        }
        g.dispose();

        // "A smaller equivalent": shared at a lower resolution.
        double shrink = random.nextInt(3) == 0 ? 1.0 : 0.5 + 0.4 * random.nextDouble();
        BufferedImage out = shrink < 1 ? Pictures.resize(shot, (int) (w * shrink), (int) (h * shrink)) : shot;
        if (random.nextBoolean()) {
            out = Pictures.jpeg(out, 0.85f);
        }
        double kx = (double) out.getWidth() / w;
        double ky = (double) out.getHeight() / h;
        return new Shot(out, kx * pw / listing.getWidth(), ky * ph / listing.getHeight(), kx * px, ky * py);
    }
}
