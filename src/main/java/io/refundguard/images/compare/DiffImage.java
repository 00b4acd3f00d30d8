package io.refundguard.images.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A picture of a comparison for a person: the listing and the evidence side by side at a common
 * height, each changed region outlined on the listing and, through the transform, on the
 * evidence, the listing's frame traced on the evidence, and a caption with the verdict. Outlines
 * are drawn without anti-aliasing in one exact colour, {@link #CHANGE_COLOUR}, so they can be
 * found again in the written file.
 */
public final class DiffImage {
    /** Outline of a changed region: magenta, rare in photographs. */
    public static final Color CHANGE_COLOUR = new Color(255, 0, 255);
    /** Where the listing's frame lies in the evidence. */
    public static final Color FRAME_COLOUR = new Color(0, 200, 255);
    static final int MAX_HEIGHT = 720;
    static final int GAP = 12;
    static final int OUTLINE = 3;

    private DiffImage() {}

    public static BufferedImage render(BufferedImage listing, BufferedImage evidence, Comparison comparison) {
        int height = Math.min(MAX_HEIGHT, Math.max(listing.getHeight(), evidence.getHeight()));
        double ls = (double) height / listing.getHeight();
        double es = (double) height / evidence.getHeight();
        int lw = Math.max(1, (int) Math.round(listing.getWidth() * ls));
        int ew = Math.max(1, (int) Math.round(evidence.getWidth() * es));
        List<String> caption = caption(comparison);
        int lineHeight = 20;
        int captionHeight = lineHeight * caption.size() + 10;
        BufferedImage out = new BufferedImage(lw + GAP + ew, height + captionHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.DARK_GRAY);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(listing, 0, 0, lw, height, null);
        g.drawImage(evidence, lw + GAP, 0, ew, height, null);

        // Outlines in exact colours: no anti-aliasing.
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setStroke(new BasicStroke(OUTLINE));
        Transform transform = comparison.transform();
        if (comparison.copy() && transform != null) {
            g.setColor(FRAME_COLOUR);
            g.setStroke(new BasicStroke(1));
            g.drawPolygon(onEvidence(transform, 0, 0, listing.getWidth(), listing.getHeight(), es, lw + GAP));
            g.setStroke(new BasicStroke(OUTLINE));
        }
        g.setColor(CHANGE_COLOUR);
        g.setClip(0, 0, lw, height);
        for (ChangedRegion r : comparison.changedRegions()) {
            g.drawRect((int) Math.round(r.x() * ls), (int) Math.round(r.y() * ls),
                    Math.max(1, (int) Math.round(r.width() * ls) - 1), Math.max(1, (int) Math.round(r.height() * ls) - 1));
        }
        g.setClip(lw + GAP, 0, ew, height);
        if (transform != null) {
            for (ChangedRegion r : comparison.changedRegions()) {
                g.drawPolygon(onEvidence(transform, r.x(), r.y(), r.width(), r.height(), es, lw + GAP));
            }
        }
        g.setClip(null);

        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics metrics = g.getFontMetrics();
        g.setColor(comparison.copy() ? new Color(255, 120, 120) : new Color(150, 230, 150));
        for (int i = 0; i < caption.size(); i++) {
            g.drawString(caption.get(i), 8, height + 5 + lineHeight * i + metrics.getAscent());
            g.setColor(Color.WHITE);
        }
        g.dispose();
        return out;
    }

    /** The listing box (x, y, w, h) as a polygon on the evidence half of the picture. */
    private static Polygon onEvidence(Transform transform, double x, double y, double w, double h, double scale, int left) {
        double[][] corners = {{x - 0.5, y - 0.5}, {x + w - 0.5, y - 0.5}, {x + w - 0.5, y + h - 0.5}, {x - 0.5, y + h - 0.5}};
        Polygon polygon = new Polygon();
        for (double[] c : corners) {
            double[] e = transform.toEvidence(c[0], c[1]);
            polygon.addPoint(left + (int) Math.round((e[0] + 0.5) * scale), (int) Math.round((e[1] + 0.5) * scale));
        }
        return polygon;
    }

    static List<String> caption(Comparison c) {
        List<String> lines = new ArrayList<>();
        if (!c.copy()) {
            lines.add("NOT A COPY: " + c.reason());
            return lines;
        }
        Transform t = c.transform();
        lines.add(String.format(Locale.ROOT, "COPY of the listing photo (score %+.2f, %d matching keypoints, %.0f%% of the overlap agrees)",
                c.score(), c.inliers(), 100 * c.agreement()));
        lines.add(String.format(Locale.ROOT, "shown at %.2fx, rotated %+.1f deg%s; %.0f%% of the listing visible",
                t.scale(), t.rotationDegrees(), t.mirrored() ? ", mirrored" : "", 100 * c.overlapShare()));
        String kinds = c.kinds().isEmpty() ? "none"
                : c.kinds().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
        lines.add(String.format(Locale.ROOT, "changed: %.0f%% of the listing in %d region(s); kinds: %s",
                100 * c.changedShare(), c.changedRegions().size(), kinds));
        return lines;
    }
}
