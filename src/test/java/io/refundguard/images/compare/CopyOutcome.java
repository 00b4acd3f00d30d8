package io.refundguard.images.compare;

import java.awt.Rectangle;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.util.List;
import java.util.Set;

/**
 * Test helper: what the detector said about one doctored copy, scored against what was done to
 * it: caught or not, whether a changed region lies on the painted damage, whether the reported
 * kinds include the expected ones, and how far the reported transform is from the true one.
 *
 * @param copy what was done (without the image)
 * @param regionHit content edits: some changed region intersects the damage box (null otherwise)
 * @param regionPrecision content edits: share of the changed area inside the damage box grown by
 *     one cell (null otherwise)
 * @param kindsOk whether the expected kinds were reported (null when nothing is expected)
 * @param transformError largest distance, in listing pixels, between where the true and the
 *     reported transforms put the listing's corners, over the listing's longer side
 */
record CopyOutcome(DoctoredCopies.Copy copy, Comparison comparison, Boolean regionHit, Double regionPrecision,
        Boolean kindsOk, double transformError) {

    static CopyOutcome of(DoctoredCopies.Copy copy, Comparison comparison, int listingWidth, int listingHeight) {
        Boolean hit = null;
        Double precision = null;
        Boolean kindsOk = null;
        double error = Double.NaN;
        if (comparison.copy()) {
            if (!copy.damage().isEmpty()) {
                hit = false;
                long inside = 0;
                long total = 0;
                int grow = Math.max(listingWidth, listingHeight) / 12;
                for (ChangedRegion region : comparison.changedRegions()) {
                    Rectangle r = new Rectangle(region.x(), region.y(), region.width(), region.height());
                    total += r.width * (long) r.height;
                    Rectangle best = new Rectangle();
                    for (Rectangle damage : copy.damage()) {
                        if (damage.intersects(r)) {
                            hit = true;
                        }
                        Rectangle grown = new Rectangle(damage.x - grow, damage.y - grow, damage.width + 2 * grow,
                                damage.height + 2 * grow).intersection(r);
                        if (!grown.isEmpty() && grown.width * (long) grown.height > best.width * (long) best.height) {
                            best = grown;
                        }
                    }
                    inside += best.isEmpty() ? 0 : best.width * (long) best.height;
                }
                precision = total == 0 ? 0.0 : (double) inside / total;
            }
            Set<ChangeKind> expected = expectedKinds(copy.edits());
            kindsOk = expected.isEmpty() ? null : comparison.kinds().containsAll(expected)
                    || (copy.edits().contains(DoctoredCopies.Edit.GENERATIVE_FILL) && fillKindsOk(comparison, expected));
            error = transformError(copy.listingToEvidence(), comparison.transform(), listingWidth, listingHeight);
        }
        return new CopyOutcome(copy.withoutImage(), comparison, hit, precision, kindsOk, error);
    }

    /** CROP -> CROPPED; SCREENSHOT -> FRAMED; crack, stain, tear -> CONTENT_ADDED. */
    static Set<ChangeKind> expectedKinds(List<DoctoredCopies.Edit> edits) {
        java.util.EnumSet<ChangeKind> kinds = java.util.EnumSet.noneOf(ChangeKind.class);
        for (DoctoredCopies.Edit edit : edits) {
            switch (edit) {
                case CROP -> kinds.add(ChangeKind.CROPPED);
                case SCREENSHOT -> kinds.add(ChangeKind.FRAMED);
                case CRACK, STAIN, TEAR -> kinds.add(ChangeKind.CONTENT_ADDED);
                default -> { }
            }
        }
        return kinds;
    }

    /** A fill removes structure (inpainting) or adds it (an object, cloned content): either will do. */
    private static boolean fillKindsOk(Comparison comparison, Set<ChangeKind> expected) {
        java.util.EnumSet<ChangeKind> rest = java.util.EnumSet.copyOf(expected.isEmpty()
                ? java.util.EnumSet.noneOf(ChangeKind.class) : expected);
        rest.remove(ChangeKind.CONTENT_ADDED);
        boolean content = comparison.kinds().contains(ChangeKind.CONTENT_ADDED)
                || comparison.kinds().contains(ChangeKind.CONTENT_REMOVED);
        return content && comparison.kinds().containsAll(rest);
    }

    static double transformError(AffineTransform truth, Transform reported, int width, int height) {
        double worst = 0;
        for (double[] corner : new double[][] {{0, 0}, {width - 1, 0}, {0, height - 1}, {width - 1, height - 1}}) {
            Point2D e = truth.transform(new Point2D.Double(corner[0], corner[1]), null);
            double x = reported.listingX(e.getX(), e.getY());
            double y = reported.listingY(e.getX(), e.getY());
            worst = Math.max(worst, Math.hypot(x - corner[0], y - corner[1]));
        }
        return worst / Math.max(width, height);
    }
}
