package io.refundguard.images.compare;

import io.refundguard.events.LocalFeatures;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Photo to {@link LocalFeatures}: working image, pyramid, corners per level, orientation and
 * descriptor per corner, thumbnail. Deterministic: no randomness, and ties are broken by
 * position.
 */
public final class FeatureExtractor {
    /**
     * Corners per pyramid level, finest first ({@value LocalFeatures#MAX_KEYPOINTS} in all).
     * Every level gets a share because a copy can be shown at half or twice the listing's scale,
     * and then only the levels that overlap in scale can match.
     */
    static final int[] LEVEL_BUDGET = {64, 58, 52, 44, 38};
    /** Patch diameter at its own level, in that level's pixels. */
    private static final int PATCH_DIAMETER = 2 * DescriptorExtractor.PATCH_RADIUS + 1;

    private FeatureExtractor() {}

    /** Features of a decoded photo; deterministic. */
    public static LocalFeatures extract(BufferedImage photo) {
        int width = photo.getWidth();
        int height = photo.getHeight();
        if (width > LocalFeatures.MAX_SIDE || height > LocalFeatures.MAX_SIDE) {
            throw new IllegalArgumentException("photo " + width + "x" + height + " exceeds " + LocalFeatures.MAX_SIDE + " pixels a side");
        }
        WorkingImage working = WorkingImage.of(photo);
        Pyramid pyramid = new Pyramid(working.image());
        byte[] blob = new byte[LocalFeatures.MAX_KEYPOINTS * LocalFeatures.KEYPOINT_BYTES];
        int count = 0;
        int carried = 0;
        for (int k = 0; k < Pyramid.LEVELS; k++) {
            GreyImage level = pyramid.level(k);
            List<CornerDetector.Corner> corners = CornerDetector.detect(level, LEVEL_BUDGET[k] + carried);
            carried = LEVEL_BUDGET[k] + carried - corners.size();
            DescriptorExtractor descriptors = new DescriptorExtractor(level);
            double diameter = PATCH_DIAMETER * pyramid.scale(k) / Math.sqrt(working.scaleX() * working.scaleY());
            int sizeCode = FeatureLayout.sizeCode(diameter);
            for (CornerDetector.Corner c : corners) {
                double angle = descriptors.orientation(c.x(), c.y());
                long[] bits = descriptors.describe(c.x(), c.y(), angle);
                double wx = pyramid.toWorkingX(k, c.x());
                double wy = pyramid.toWorkingY(k, c.y());
                int x = clamp((int) Math.round(16 * ((wx + 0.5) / working.scaleX() - 0.5)), 16 * width - 1);
                int y = clamp((int) Math.round(16 * ((wy + 0.5) / working.scaleY() - 0.5)), 16 * height - 1);
                FeatureLayout.write(blob, count * LocalFeatures.KEYPOINT_BYTES, x, y, sizeCode,
                        FeatureLayout.angleCode(angle), bits);
                count++;
            }
        }
        int[] thumbSize = LocalFeatures.thumbnailSize(width, height);
        GreyImage thumb = Resampler.resize(working.image(), thumbSize[0], thumbSize[1]);
        byte[] thumbnail = new byte[thumb.pixels.length];
        for (int i = 0; i < thumbnail.length; i++) {
            thumbnail[i] = (byte) clamp(Math.round(thumb.pixels[i]), 255);
        }
        return new LocalFeatures(LocalFeatures.VERSION, width, height,
                java.util.Arrays.copyOf(blob, count * LocalFeatures.KEYPOINT_BYTES), thumbSize[0], thumbSize[1], thumbnail);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
