package io.refundguard.images.compare;

/**
 * The working image at five scales a factor sqrt(2) apart (1x to 4x smaller). A copy that was
 * cropped to half the frame (shown 2x larger) or shrunk into a phone screenshot (about 0.5x)
 * still has its corners found at a level where they look the size they did in the listing.
 */
final class Pyramid {
    static final int LEVELS = 5;
    static final double STEP = Math.sqrt(2);

    private final GreyImage[] levels = new GreyImage[LEVELS];

    Pyramid(GreyImage working) {
        levels[0] = working;
        for (int k = 1; k < LEVELS; k++) {
            double factor = Math.pow(STEP, k);
            int w = Math.max(1, (int) Math.round(working.width / factor));
            int h = Math.max(1, (int) Math.round(working.height / factor));
            levels[k] = Resampler.resize(working, w, h);
        }
    }

    GreyImage level(int k) {
        return levels[k];
    }

    /** Working-image x of level-k pixel x (pixel centres map to pixel centres). */
    double toWorkingX(int k, double x) {
        double step = (double) levels[0].width / levels[k].width;
        return (x + 0.5) * step - 0.5;
    }

    double toWorkingY(int k, double y) {
        double step = (double) levels[0].height / levels[k].height;
        return (y + 0.5) * step - 0.5;
    }

    /** Working pixels per level-k pixel. */
    double scale(int k) {
        return Math.sqrt((double) levels[0].width * levels[0].height / ((double) levels[k].width * levels[k].height));
    }
}
