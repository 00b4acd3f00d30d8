package io.refundguard.images.compare;

/** A box in the listing photo's pixel coordinates where the evidence differs from it. */
public record ChangedRegion(int x, int y, int width, int height) {
    public ChangedRegion {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty region " + width + "x" + height);
        }
    }

    public long area() {
        return (long) width * height;
    }
}
