package io.refundguard.images.compare;

import io.refundguard.events.LocalFeatures;

/**
 * Byte layout of {@link LocalFeatures} version 1, so that another implementation can write or
 * read it (how the values are computed: docs/copy-detection.md).
 *
 * <p><b>keypoints</b>: {@value LocalFeatures#KEYPOINT_BYTES} bytes per keypoint, at most {@value
 * LocalFeatures#MAX_KEYPOINTS} keypoints, in no meaningful order:
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
 * t = min(1, {@value LocalFeatures#MAX_THUMBNAIL_SIDE} / max(width, height), sqrt({@value
 * LocalFeatures#MAX_THUMBNAIL_AREA} / (width * height))) the sides are max(1, round(width * t)) and
 * max(1, round(height * t)) ({@link LocalFeatures#thumbnailSize}). Readers accept a side within one
 * pixel of that.
 *
 * <p>The sizes, the limits, X, Y and the thumbnail sides live in {@link LocalFeatures}, which checks
 * them on every record from the wire below the images packages; the rest of a keypoint means
 * something only to the comparison, so it is written and read here.
 */
final class FeatureLayout {
    static final int DESCRIPTOR_BYTES = 16;
    static final int DESCRIPTOR_OFFSET = 7;

    private FeatureLayout() {}

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

    /**
     * Through the record's copying accessor: it lives in another package now and shares its arrays
     * with no one. The copy (at most 5,888 bytes, and the thumbnail's 4,387) is small beside the matching.
     */
    static Keypoints read(LocalFeatures features) {
        return read(features.keypoints());
    }

    static Keypoints read(byte[] blob) {
        int n = blob.length / LocalFeatures.KEYPOINT_BYTES;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] size = new float[n];
        float[] angle = new float[n];
        long[] descriptors = new long[Keypoints.LONGS * n];
        for (int i = 0; i < n; i++) {
            int o = i * LocalFeatures.KEYPOINT_BYTES;
            int sixteenths = blob[o + 4] & 0xff;
            x[i] = LocalFeatures.keypointX(blob, i) + (sixteenths >>> 4) / 16f;
            y[i] = LocalFeatures.keypointY(blob, i) + (sixteenths & 15) / 16f;
            size[i] = (float) diameter(blob[o + 5] & 0xff);
            angle[i] = (float) angle(blob[o + 6] & 0xff);
            for (int k = 0; k < DESCRIPTOR_BYTES; k++) {
                descriptors[Keypoints.LONGS * i + (k >>> 3)] |= (blob[o + DESCRIPTOR_OFFSET + k] & 0xffL) << ((k & 7) * 8);
            }
        }
        return new Keypoints(x, y, size, angle, descriptors);
    }

    static GreyImage thumbnail(LocalFeatures features) {
        byte[] thumbnail = features.thumbnail();
        float[] grey = new float[thumbnail.length];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = thumbnail[i] & 0xff;
        }
        return new GreyImage(features.thumbnailWidth(), features.thumbnailHeight(), grey);
    }
}
