package io.refundguard.events;

import java.util.Arrays;

/**
 * What one photo contributes to a local comparison: its size, up to {@value #MAX_KEYPOINTS}
 * oriented binary keypoints spread over a five-level pyramid, and a small grey thumbnail for the
 * dense check. Computed once per photo, it travels with every refund request and is kept in state
 * for every listing photo, so it is compact (at most 256 x 23 + 4,096 bytes = 9,984 bytes plus
 * five ints) and made of plain ints and byte arrays. The byte layout of version 1 is documented
 * in {@code io.refundguard.images.compare.FeatureLayout}, which writes and reads it; this record
 * holds only what checking it needs, so that the events package does not depend on the
 * comparison.
 *
 * <p>Every instance is valid: the constructor checks the layout and throws {@link
 * InvalidLocalFeaturesException} naming the field, so features decoded from the wire can be
 * trusted by the comparison once constructed.
 *
 * @param version layout version, {@value #VERSION}
 * @param width the photo's width in pixels
 * @param height the photo's height in pixels
 * @param keypoints {@value #KEYPOINT_BYTES} bytes per keypoint
 * @param thumbnailWidth thumbnail width
 * @param thumbnailHeight thumbnail height
 * @param thumbnail one grey byte per thumbnail pixel, row-major
 */
public record LocalFeatures(int version, int width, int height, byte[] keypoints, int thumbnailWidth,
        int thumbnailHeight, byte[] thumbnail) {
    public static final int VERSION = 1;
    public static final int KEYPOINT_BYTES = 23;
    /**
     * 256 x 23 = 5,888 bytes. Twice the keypoints with half the descriptor bits found twice as
     * many copies shown small in a screenshot and lost nothing elsewhere: once a transform is
     * proposed, guided matching, not the descriptor alone, tells true pairs from chance.
     */
    public static final int MAX_KEYPOINTS = 256;
    public static final int MAX_SIDE = 65_535;
    public static final int MAX_THUMBNAIL_SIDE = 96;
    /** 4,096 bytes: 74 x 55 for a 4:3 photo, 64 x 64 for a square one, 44 x 94 for a phone screenshot. */
    public static final int MAX_THUMBNAIL_AREA = 4_096;
    /**
     * The most thumbnail bytes a valid record can carry: rounding each side, and the one pixel
     * readers tolerate on each, lift the area above {@link #MAX_THUMBNAIL_AREA} (78 x 53 for a
     * 741 x 500 photo). Wire limits use this, not the nominal area.
     *
     * <p>Sides of w*t and h*t, each rounded and then within one pixel: (w t + 1.5)(h t + 1.5) with
     * w t * h t at most the area and w t + h t at most two sides.
     */
    public static final int MAX_THUMBNAIL_BYTES = (int) Math.ceil(MAX_THUMBNAIL_AREA + 1.5 * 2 * MAX_THUMBNAIL_SIDE + 2.25);

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
            int x = keypointX(keypoints, i);
            int y = keypointY(keypoints, i);
            check(x < width, "keypoints", "keypoint " + i + " has x " + x + ", outside width " + width);
            check(y < height, "keypoints", "keypoint " + i + " has y " + y + ", outside height " + height);
        }
        int[] expected = thumbnailSize(width, height);
        checkThumbnailSide("thumbnailWidth", thumbnailWidth, expected[0]);
        checkThumbnailSide("thumbnailHeight", thumbnailHeight, expected[1]);
        check(thumbnail != null, "thumbnail", "missing");
        check(thumbnail.length == thumbnailWidth * thumbnailHeight, "thumbnail", "expected " + thumbnailWidth
                + " x " + thumbnailHeight + " = " + thumbnailWidth * thumbnailHeight + " bytes, got " + thumbnail.length);
        keypoints = keypoints.clone();
        thumbnail = thumbnail.clone();
    }

    /** Features from the wire (base64 already decoded); throws {@link InvalidLocalFeaturesException}. */
    public static LocalFeatures of(int version, int width, int height, byte[] keypoints, int thumbnailWidth,
            int thumbnailHeight, byte[] thumbnail) {
        return new LocalFeatures(version, width, height, keypoints, thumbnailWidth, thumbnailHeight, thumbnail);
    }

    /**
     * Thumbnail sides for a photo of this size. Public because the extractor must write exactly
     * the sides this record accepts: one function for both keeps them from drifting apart.
     */
    public static int[] thumbnailSize(int width, int height) {
        double t = thumbnailScale(width, height);
        return new int[] {Math.max(1, (int) Math.round(width * t)), Math.max(1, (int) Math.round(height * t))};
    }

    private static double thumbnailScale(int width, int height) {
        return Math.min(1.0, Math.min((double) MAX_THUMBNAIL_SIDE / Math.max(width, height),
                Math.sqrt((double) MAX_THUMBNAIL_AREA / ((double) width * height))));
    }

    /** Whole column of keypoint {@code index} in a version-1 keypoint blob; the constructor checks it, readers reuse it. */
    public static int keypointX(byte[] keypoints, int index) {
        int o = index * KEYPOINT_BYTES;
        return ((keypoints[o] & 0xff) << 8) | (keypoints[o + 1] & 0xff);
    }

    /** Whole row of keypoint {@code index} in a version-1 keypoint blob. */
    public static int keypointY(byte[] keypoints, int index) {
        int o = index * KEYPOINT_BYTES;
        return ((keypoints[o + 2] & 0xff) << 8) | (keypoints[o + 3] & 0xff);
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
