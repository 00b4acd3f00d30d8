package io.refundguard.images.compare;

/**
 * Byte layout of {@link LocalFeatures} version 1, so that another implementation can write or
 * read it (how the values are computed: docs/copy-detection.md).
 *
 * <p><b>keypoints</b>: {@value #KEYPOINT_BYTES} bytes per keypoint, at most {@value #MAX_KEYPOINTS}
 * keypoints, in no meaningful order:
 * <pre>
 * offset size field
 *  0     2    X: whole column in the photo's own pixels, unsigned big-endian, below width
 *  2     2    Y: whole row, unsigned big-endian, below height
 *  4     1    sixteenths: high nibble fx, low nibble fy; the keypoint is at
 *             (X + fx/16, Y + fy/16), pixel centres at whole numbers
 *  5     1    size code s: patch diameter = 2^(s/16) pixels of the photo
 *  6     1    angle code t: orientation = t * 2 pi / 256 radians, measured in image
 *             coordinates (x right, y down) from the keypoint towards its patch's intensity centroid
 *  7     16   descriptor: bit k (0-127) is bit (k mod 8) of byte 7 + k/8; bit k = 1 when the
 *             smoothed grey level at comparison k's first point is lower than at its second
 *             (pattern: {@link MirrorPattern}; bits 2i and 2i+1 are mirror images)
 * </pre>
 *
 * <p>Sixteenths of a pixel because whole pixels were not enough: a photo smaller than the
 * working size is enlarged up to 2x, so rounding to its pixels moved keypoints by up to a
 * working pixel, as much as the parallax between two honest photos.
 *
 * <p><b>thumbnail</b>: grey levels (Rec. 601 luma, 0-255), row-major, one byte per pixel, the
 * whole photo area-averaged to thumbnailWidth x thumbnailHeight, where with
 * t = min(1, {@value #MAX_THUMBNAIL_SIDE} / max(width, height), sqrt({@value #MAX_THUMBNAIL_AREA} /
 * (width * height))) the sides are max(1, round(width * t)) and max(1, round(height * t)).
 * Readers accept a side within one pixel of that.
 */
final class FeatureLayout {
    static final int VERSION = 1;
    static final int KEYPOINT_BYTES = 23;
    static final int DESCRIPTOR_BYTES = 16;
    static final int DESCRIPTOR_OFFSET = 7;
    /**
     * 256 x 23 = 5,888 bytes. Twice the keypoints with half the descriptor bits found twice as
     * many copies shown small in a screenshot and lost nothing elsewhere: once a transform is
     * proposed, guided matching, not the descriptor alone, tells true pairs from chance.
     */
    static final int MAX_KEYPOINTS = 256;
    static final int MAX_SIDE = 65_535;
    static final int MAX_THUMBNAIL_SIDE = 96;
    /** 4,096 bytes: 74 x 55 for a 4:3 photo, 64 x 64 for a square one, 44 x 94 for a phone screenshot. */
    static final int MAX_THUMBNAIL_AREA = 4_096;
    /**
     * Sides of w*t and h*t, each rounded and then within one pixel: (w t + 1.5)(h t + 1.5) with
     * w t * h t at most the area and w t + h t at most two sides.
     */
    static final int MAX_THUMBNAIL_BYTES = (int) Math.ceil(MAX_THUMBNAIL_AREA + 1.5 * 2 * MAX_THUMBNAIL_SIDE + 2.25);

    private FeatureLayout() {}

    static int[] thumbnailSize(int width, int height) {
        double t = thumbnailScale(width, height);
        return new int[] {Math.max(1, (int) Math.round(width * t)), Math.max(1, (int) Math.round(height * t))};
    }

    static double thumbnailScale(int width, int height) {
        return Math.min(1.0, Math.min((double) MAX_THUMBNAIL_SIDE / Math.max(width, height),
                Math.sqrt((double) MAX_THUMBNAIL_AREA / ((double) width * height))));
    }

    static int sizeCode(double diameter) {
        return Math.max(0, Math.min(255, (int) Math.round(16 * Math.log(Math.max(1, diameter)) / Math.log(2))));
    }

    static double diameter(int sizeCode) {
        return Math.pow(2, sizeCode / 16.0);
    }

    static int angleCode(double radians) {
        double turns = radians / (2 * Math.PI);
        return Math.floorMod((int) Math.round(turns * 256), 256);
    }

    static double angle(int angleCode) {
        return angleCode * 2 * Math.PI / 256;
    }

    /** Writes a keypoint at {@code offset}; x and y in sixteenths of a pixel. */
    static void write(byte[] out, int offset, int x16, int y16, int sizeCode, int angleCode, long[] descriptor) {
        int x = x16 >>> 4;
        int y = y16 >>> 4;
        out[offset] = (byte) (x >>> 8);
        out[offset + 1] = (byte) x;
        out[offset + 2] = (byte) (y >>> 8);
        out[offset + 3] = (byte) y;
        out[offset + 4] = (byte) (((x16 & 15) << 4) | (y16 & 15));
        out[offset + 5] = (byte) sizeCode;
        out[offset + 6] = (byte) angleCode;
        for (int k = 0; k < DESCRIPTOR_BYTES; k++) {
            out[offset + DESCRIPTOR_OFFSET + k] = (byte) (descriptor[k >>> 3] >>> ((k & 7) * 8));
        }
    }

    static int x(byte[] blob, int index) {
        int o = index * KEYPOINT_BYTES;
        return ((blob[o] & 0xff) << 8) | (blob[o + 1] & 0xff);
    }

    static int y(byte[] blob, int index) {
        int o = index * KEYPOINT_BYTES;
        return ((blob[o + 2] & 0xff) << 8) | (blob[o + 3] & 0xff);
    }

    static Keypoints read(byte[] blob) {
        int n = blob.length / KEYPOINT_BYTES;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] size = new float[n];
        float[] angle = new float[n];
        long[] descriptors = new long[Keypoints.LONGS * n];
        for (int i = 0; i < n; i++) {
            int o = i * KEYPOINT_BYTES;
            int sixteenths = blob[o + 4] & 0xff;
            x[i] = x(blob, i) + (sixteenths >>> 4) / 16f;
            y[i] = y(blob, i) + (sixteenths & 15) / 16f;
            size[i] = (float) diameter(blob[o + 5] & 0xff);
            angle[i] = (float) angle(blob[o + 6] & 0xff);
            for (int k = 0; k < DESCRIPTOR_BYTES; k++) {
                descriptors[Keypoints.LONGS * i + (k >>> 3)] |= (blob[o + DESCRIPTOR_OFFSET + k] & 0xffL) << ((k & 7) * 8);
            }
        }
        return new Keypoints(x, y, size, angle, descriptors);
    }
}
