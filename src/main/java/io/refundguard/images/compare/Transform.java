package io.refundguard.images.compare;

/**
 * How the evidence photo sits relative to the listing photo.
 *
 * <p>{@code scale}, {@code rotationDegrees} and {@code mirrored} describe the edit, listing to
 * evidence: scale 0.5 means the listing appears at half its pixel size in the evidence (a phone
 * screenshot), rotationDegrees 7 means it was turned 7 degrees counter-clockwise as seen on
 * screen, mirrored means it was flipped left-right (applied before the rotation).
 *
 * <p>The matrix maps the other way, evidence pixel (x, y) to listing pixel
 * (m00 x + m01 y + m02, m10 x + m11 y + m12), pixel centres at integer coordinates, so that
 * anything found in the evidence can be placed on the listing.
 */
public record Transform(double scale, double rotationDegrees, boolean mirrored, double m00, double m01, double m02,
        double m10, double m11, double m12) {
    public double listingX(double evidenceX, double evidenceY) {
        return m00 * evidenceX + m01 * evidenceY + m02;
    }

    public double listingY(double evidenceX, double evidenceY) {
        return m10 * evidenceX + m11 * evidenceY + m12;
    }

    /** Listing pixel to evidence pixel: where a listing region shows in the evidence. */
    public double[] toEvidence(double listingX, double listingY) {
        Affine inverse = affine().inverse();
        return new double[] {inverse.mapX(listingX, listingY), inverse.mapY(listingX, listingY)};
    }

    Affine affine() {
        return new Affine(m00, m01, m02, m10, m11, m12);
    }

    static Transform of(Affine evidenceToListing) {
        Affine edit = evidenceToListing.inverse();
        boolean mirrored = edit.determinant() < 0;
        double scale = Math.sqrt(Math.abs(edit.determinant()));
        // Remove the flip (applied first, x -> -x) to read the rotation; y points down on screen,
        // so a counter-clockwise turn on screen is a negative angle in image coordinates.
        double c00 = mirrored ? -edit.m00() : edit.m00();
        double c10 = mirrored ? -edit.m10() : edit.m10();
        double degrees = -Math.toDegrees(Math.atan2(c10, c00));
        Affine m = evidenceToListing;
        return new Transform(scale, degrees, mirrored, m.m00(), m.m01(), m.m02(), m.m10(), m.m11(), m.m12());
    }
}
