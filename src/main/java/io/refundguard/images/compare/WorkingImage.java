package io.refundguard.images.compare;

import io.refundguard.images.LumaRows;
import java.awt.image.BufferedImage;

/**
 * The grey image features are computed on: the photo resampled to a normalised size, whatever
 * its resolution. A bounded size bounds the work (a 12-megapixel photo costs one streaming pass,
 * then the same as a small one) and makes a resized copy land on the same working image as its
 * original, so re-saving at 0.5x or 1.5x changes little downstream.
 *
 * <p>The size is a fixed area ({@value #AREA} pixels), except that the short side is kept at
 * {@value #MIN_SHORT_SIDE} pixels if that costs at most {@value #MAX_AREA_FACTOR}x the area: a
 * phone screenshot is tall and narrow, and shows the listing across its short side; at a fixed
 * area the listing would keep only a third of the detail it has in its own working image, too
 * little for its keypoints to be found again. Small photos are enlarged at most 2x: enlarging
 * further invents no detail, it only blurs.
 *
 * @param image the working grey image
 * @param scaleX working pixels per original pixel, across
 * @param scaleY working pixels per original pixel, down
 */
record WorkingImage(GreyImage image, double scaleX, double scaleY) {
    /** 512 x 384. */
    static final int AREA = 512 * 384;
    static final int MIN_SHORT_SIDE = 450;
    static final double MAX_AREA_FACTOR = 2.5;
    static final double MAX_ENLARGEMENT = 2.0;

    static WorkingImage of(BufferedImage photo) {
        int width = photo.getWidth();
        int height = photo.getHeight();
        double scale = scaleFor(width, height);
        int w = Math.max(1, (int) Math.round(width * scale));
        int h = Math.max(1, (int) Math.round(height * scale));
        LumaRows rows = new LumaRows(photo);
        GreyImage grey = Resampler.resample(rows::read, width, height, w, h);
        return new WorkingImage(grey, (double) w / width, (double) h / height);
    }

    /**
     * Working pixels per original pixel. Also the normalised frame in which match tolerances are
     * stated, so one tolerance in pixels fits photos of every resolution.
     */
    static double scaleFor(int width, int height) {
        double pixels = (double) width * height;
        double byArea = Math.sqrt(AREA / pixels);
        double byShortSide = Math.min((double) MIN_SHORT_SIDE / Math.min(width, height), Math.sqrt(MAX_AREA_FACTOR * AREA / pixels));
        return Math.min(MAX_ENLARGEMENT, Math.max(byArea, byShortSide));
    }
}
