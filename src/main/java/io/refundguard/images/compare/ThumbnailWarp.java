package io.refundguard.images.compare;

/**
 * The evidence thumbnail resampled onto the listing thumbnail's grid through the estimated
 * transform, with everything the cell comparison needs: which listing pixels it covers, a
 * robust photometric fit, and where the evidence is a perfectly uniform colour (the page of a
 * screenshot, the fill of a rotated canvas).
 *
 * <p>Before warping, the sharper thumbnail is blurred to the other's resolution (a phone
 * screenshot shows the listing at a third of the thumbnail's resolution) and both are blurred a
 * little: two sampling grids a fraction of a pixel apart alias fine texture differently.
 */
final class ThumbnailWarp {
    /** Blur of both thumbnails in their own pixels (sigma): the [1 2 1] / 4 kernel's 0.71. */
    static final double BASE_BLUR = Math.sqrt(0.5);
    static final float PHOTOMETRIC_INLIER = 20f;
    /** A re-save may change contrast a little; a gain beyond 0.6-1.67 would be another picture. */
    static final double MIN_GAIN = 0.6;
    /**
     * Grey-level range over 3x3 thumbnail pixels below which the evidence counts as a uniform
     * colour: a screenshot's page or a canvas fill is exactly flat; a photographed backdrop, even
     * a plain one, varies by a grey level or more across the ~25 photo pixels a thumbnail pixel averages.
     */
    static final float UNIFORM_RANGE = 1.0f;

    final int width;
    final int height;
    /** Listing thumbnail after blurring, grey levels. */
    final float[] listing;
    /** Evidence warped onto the listing grid, after the photometric fit. */
    final float[] evidence;
    /** Listing pixel lies inside the evidence frame. */
    final boolean[] inside;
    /** Inside, and far enough from both frames' borders to be compared. */
    final boolean[] usable;
    /** The evidence is a uniform colour there. */
    final boolean[] uniform;
    final double gain;
    final double offset;
    final int insideCount;

    private ThumbnailWarp(int width, int height, float[] listing, float[] evidence, boolean[] inside, boolean[] usable,
            boolean[] uniform, double gain, double offset, int insideCount) {
        this.width = width;
        this.height = height;
        this.listing = listing;
        this.evidence = evidence;
        this.inside = inside;
        this.usable = usable;
        this.uniform = uniform;
        this.gain = gain;
        this.offset = offset;
        this.insideCount = insideCount;
    }

    /**
     * @param toEvidence listing-thumbnail pixel to evidence-thumbnail pixel
     */
    static ThumbnailWarp of(GreyImage listingThumb, GreyImage evidenceThumb, Affine toEvidence) {
        // Evidence-thumbnail pixels per listing-thumbnail pixel: below 1, the evidence is coarser.
        double q = Math.sqrt(Math.abs(toEvidence.determinant()));
        GreyImage l = q < 1 ? Filters.gaussian(listingThumb, Math.sqrt(BASE_BLUR * BASE_BLUR + 0.25 * (1 / (q * q) - 1)))
                : Filters.binomial(listingThumb);
        GreyImage e = q > 1 ? Filters.gaussian(evidenceThumb, Math.sqrt(BASE_BLUR * BASE_BLUR + 0.25 * (q * q - 1)))
                : Filters.binomial(evidenceThumb);
        boolean[] evidenceUniform = uniformity(evidenceThumb);
        // Listing pixels this close to the listing's own border are mixed, in the evidence, with
        // whatever surrounds the listing there (a screenshot's page, a rotated photo's fill).
        double border = Math.max(1, 1 / q) + 0.5;

        int w = l.width;
        int h = l.height;
        float[] warped = new float[w * h];
        boolean[] inside = new boolean[w * h];
        boolean[] usable = new boolean[w * h];
        boolean[] uniform = new boolean[w * h];
        int insideCount = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = toEvidence.mapX(x, y);
                double v = toEvidence.mapY(x, y);
                int i = y * w + x;
                if (u < -0.5 || v < -0.5 || u > e.width - 0.5 || v > e.height - 0.5) {
                    continue;
                }
                inside[i] = true;
                insideCount++;
                warped[i] = e.bilinear((float) clamp(u, e.width - 1), (float) clamp(v, e.height - 1));
                uniform[i] = evidenceUniform[(int) Math.round(clamp(v, e.height - 1)) * e.width
                        + (int) Math.round(clamp(u, e.width - 1))];
                usable[i] = u >= 0.5 && v >= 0.5 && u <= e.width - 1.5 && v <= e.height - 1.5 && x >= border - 0.5
                        && y >= border - 0.5 && x <= w - 0.5 - border && y <= h - 0.5 - border;
            }
        }
        double[] fit = fitGainOffset(l.pixels, warped, usable, uniform);
        float gain = (float) fit[0];
        float offset = (float) fit[1];
        for (int i = 0; i < warped.length; i++) {
            warped[i] = gain * warped[i] + offset;
        }
        return new ThumbnailWarp(w, h, l.pixels, warped, inside, usable, uniform, gain, offset, insideCount);
    }

    /**
     * listing = gain * evidence + offset, robustly, over the pixels that are not a uniform colour
     * in the evidence (a screenshot's page can cover most of a cropped listing's frame). Start
     * from the identity, since a copy's levels are mostly unchanged, or from the median difference
     * if the identity fits under a third of the pixels; then least squares twice over the pixels
     * within {@value #PHOTOMETRIC_INLIER} grey levels. Fitting all pixels at once let a torn-open
     * quarter of bright cardboard drag the gain to 0.56, and every cell then differed.
     */
    static double[] fitGainOffset(float[] listing, float[] evidence, boolean[] usable, boolean[] uniform) {
        boolean[] fitting = new boolean[usable.length];
        int count = 0;
        for (int i = 0; i < usable.length; i++) {
            fitting[i] = usable[i] && !uniform[i];
            count += fitting[i] ? 1 : 0;
        }
        if (count < 10) {
            return new double[] {1, 0};
        }
        double gain = 1;
        double offset = 0;
        if (within(listing, evidence, fitting, gain, offset) < count / 3) {
            // Median difference to half a grey level, from a histogram: no sort.
            int[] histogram = new int[1024];
            for (int i = 0; i < listing.length; i++) {
                if (fitting[i]) {
                    histogram[Math.max(0, Math.min(1023, Math.round(2 * (listing[i] - evidence[i])) + 512))]++;
                }
            }
            int bin = 0;
            for (int seen = histogram[0]; seen <= count / 2; seen += histogram[++bin]) {
                // walk up to the middle
            }
            offset = (bin - 512) / 2.0;
        }
        for (int round = 0; round < 2; round++) {
            double n = 0;
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double sxy = 0;
            for (int i = 0; i < listing.length; i++) {
                if (!fitting[i] || Math.abs(listing[i] - (gain * evidence[i] + offset)) > PHOTOMETRIC_INLIER) {
                    continue;
                }
                n++;
                sx += evidence[i];
                sy += listing[i];
                sxx += evidence[i] * evidence[i];
                sxy += evidence[i] * listing[i];
            }
            if (n < 10) {
                break;
            }
            double var = sxx - sx * sx / n;
            if (var < 25 * n) {
                // Too little contrast among the fitting pixels to trust a gain: shift only.
                gain = 1;
                offset = (sy - sx) / n;
            } else {
                gain = Math.max(MIN_GAIN, Math.min(1 / MIN_GAIN, (sxy - sx * sy / n) / var));
                offset = (sy - gain * sx) / n;
            }
        }
        return new double[] {gain, offset};
    }

    private static int within(float[] listing, float[] evidence, boolean[] mask, double gain, double offset) {
        int n = 0;
        for (int i = 0; i < listing.length; i++) {
            if (mask[i] && Math.abs(listing[i] - (gain * evidence[i] + offset)) <= PHOTOMETRIC_INLIER) {
                n++;
            }
        }
        return n;
    }

    /** Evidence pixels whose 3x3 neighbourhood spans less than {@value #UNIFORM_RANGE} grey levels. */
    private static boolean[] uniformity(GreyImage image) {
        int w = image.width;
        int h = image.height;
        float[] p = image.pixels;
        // Min and max over 3 columns, then over 3 rows of those.
        float[] rowMin = new float[w * h];
        float[] rowMax = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float a = p[y * w + Math.max(0, x - 1)];
                float b = p[i];
                float c = p[y * w + Math.min(w - 1, x + 1)];
                rowMin[i] = Math.min(a, Math.min(b, c));
                rowMax[i] = Math.max(a, Math.max(b, c));
            }
        }
        boolean[] out = new boolean[w * h];
        for (int y = 0; y < h; y++) {
            int up = Math.max(0, y - 1) * w;
            int down = Math.min(h - 1, y + 1) * w;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                float min = Math.min(rowMin[up + x], Math.min(rowMin[i], rowMin[down + x]));
                float max = Math.max(rowMax[up + x], Math.max(rowMax[i], rowMax[down + x]));
                out[i] = max - min < UNIFORM_RANGE;
            }
        }
        return out;
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
