package io.refundguard.images.compare;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * What one photo contributes to a local comparison: its size, up to {@value
 * FeatureLayout#MAX_KEYPOINTS} oriented binary keypoints spread over a five-level pyramid, and a
 * small grey thumbnail for the dense check. Computed once per photo, it travels with every
 * refund request and is kept in state for every listing photo, so it is compact (at most
 * 256 x 23 + 4,096 bytes = 9,984 bytes plus five ints) and made of plain ints and byte arrays. The byte layout of
 * version 1 is documented in {@link FeatureLayout}.
 *
 * <p>Every instance is valid: the constructor checks the layout and throws {@link
 * InvalidLocalFeaturesException} naming the field, so features decoded from the wire can be
 * trusted by the comparison once constructed.
 *
 * @param version layout version, {@value FeatureLayout#VERSION}
 * @param width the photo's width in pixels
 * @param height the photo's height in pixels
 * @param keypoints {@value FeatureLayout#KEYPOINT_BYTES} bytes per keypoint
 * @param thumbnailWidth thumbnail width
 * @param thumbnailHeight thumbnail height
 * @param thumbnail one grey byte per thumbnail pixel, row-major
 */
public record LocalFeatures(int version, int width, int height, byte[] keypoints, int thumbnailWidth,
        int thumbnailHeight, byte[] thumbnail) {
    public static final int VERSION = FeatureLayout.VERSION;
    public static final int KEYPOINT_BYTES = FeatureLayout.KEYPOINT_BYTES;
    public static final int MAX_KEYPOINTS = FeatureLayout.MAX_KEYPOINTS;
    public static final int MAX_SIDE = FeatureLayout.MAX_SIDE;
    public static final int MAX_THUMBNAIL_SIDE = FeatureLayout.MAX_THUMBNAIL_SIDE;
    public static final int MAX_THUMBNAIL_AREA = FeatureLayout.MAX_THUMBNAIL_AREA;
    /**
     * The most thumbnail bytes a valid record can carry: rounding each side, and the one pixel
     * readers tolerate on each, lift the area above {@link #MAX_THUMBNAIL_AREA} (78 x 53 for a
     * 741 x 500 photo). Wire limits use this, not the nominal area.
     */
    public static final int MAX_THUMBNAIL_BYTES = FeatureLayout.MAX_THUMBNAIL_BYTES;

    public LocalFeatures {
        check(version == VERSION, "version", "expected " + VERSION + ", got " + version);
        check(width >= 1 && width <= MAX_SIDE, "width", "expected 1-" + MAX_SIDE + ", got " + width);
        check(height >= 1 && height <= MAX_SIDE, "height", "expected 1-" + MAX_SIDE + ", got " + height);
        check(keypoints != null, "keypoints", "missing");
        check(keypoints.length % KEYPOINT_BYTES == 0, "keypoints",
                "expected a multiple of " + KEYPOINT_BYTES + " bytes, got " + keypoints.length);
        int count = keypoints.length / KEYPOINT_BYTES;
        check(count <= MAX_KEYPOINTS, "keypoints", "expected at most " + MAX_KEYPOINTS + " keypoints, got " + count);
        for (int i = 0; i < count; i++) {
            int x = FeatureLayout.x(keypoints, i);
            int y = FeatureLayout.y(keypoints, i);
            check(x < width, "keypoints", "keypoint " + i + " has x " + x + ", outside width " + width);
            check(y < height, "keypoints", "keypoint " + i + " has y " + y + ", outside height " + height);
        }
        int[] expected = FeatureLayout.thumbnailSize(width, height);
        checkThumbnailSide("thumbnailWidth", thumbnailWidth, expected[0]);
        checkThumbnailSide("thumbnailHeight", thumbnailHeight, expected[1]);
        check(thumbnail != null, "thumbnail", "missing");
        check(thumbnail.length == thumbnailWidth * thumbnailHeight, "thumbnail", "expected " + thumbnailWidth
                + " x " + thumbnailHeight + " = " + thumbnailWidth * thumbnailHeight + " bytes, got " + thumbnail.length);
        keypoints = keypoints.clone();
        thumbnail = thumbnail.clone();
    }

    /** Features of a decoded photo; deterministic. See {@link FeatureExtractor}. */
    public static LocalFeatures extract(BufferedImage image) {
        return FeatureExtractor.extract(image);
    }

    /** Features from the wire (base64 already decoded); throws {@link InvalidLocalFeaturesException}. */
    public static LocalFeatures of(int version, int width, int height, byte[] keypoints, int thumbnailWidth,
            int thumbnailHeight, byte[] thumbnail) {
        return new LocalFeatures(version, width, height, keypoints, thumbnailWidth, thumbnailHeight, thumbnail);
    }

    @Override
    public byte[] keypoints() {
        return keypoints.clone();
    }

    @Override
    public byte[] thumbnail() {
        return thumbnail.clone();
    }

    public int keypointCount() {
        return keypoints.length / KEYPOINT_BYTES;
    }

    /** Raw size of the variable parts plus the five ints. */
    public int sizeInBytes() {
        return keypoints.length + thumbnail.length + 5 * Integer.BYTES;
    }

    Keypoints unpackKeypoints() {
        return FeatureLayout.read(keypoints);
    }

    GreyImage thumbnailImage() {
        float[] grey = new float[thumbnail.length];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = thumbnail[i] & 0xff;
        }
        return new GreyImage(thumbnailWidth, thumbnailHeight, grey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LocalFeatures f && version == f.version && width == f.width && height == f.height
                && thumbnailWidth == f.thumbnailWidth && thumbnailHeight == f.thumbnailHeight
                && Arrays.equals(keypoints, f.keypoints) && Arrays.equals(thumbnail, f.thumbnail);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(version);
        h = 31 * h + width;
        h = 31 * h + height;
        h = 31 * h + Arrays.hashCode(keypoints);
        h = 31 * h + thumbnailWidth;
        h = 31 * h + thumbnailHeight;
        return 31 * h + Arrays.hashCode(thumbnail);
    }

    /** Sizes only: the bytes would flood a log line. */
    @Override
    public String toString() {
        return "LocalFeatures[v" + version + ", " + width + "x" + height + ", " + keypointCount() + " keypoints, thumbnail "
                + thumbnailWidth + "x" + thumbnailHeight + "]";
    }

    private static void checkThumbnailSide(String field, int side, int expected) {
        check(side >= 1 && side <= MAX_THUMBNAIL_SIDE, field, "expected 1-" + MAX_THUMBNAIL_SIDE + ", got " + side);
        check(Math.abs(side - expected) <= 1, field, "expected " + expected + " for this photo size, got " + side);
    }

    private static void check(boolean ok, String field, String message) {
        if (!ok) {
            throw new InvalidLocalFeaturesException(field, message);
        }
    }
}
