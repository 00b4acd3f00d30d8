package io.refundguard.images;

import java.awt.image.BufferedImage;

/** Test helper: the eight dihedral transforms done on pixels, as the oracle for coefficient-space ones. */
final class Dihedrals {
    private Dihedrals() {}

    static BufferedImage apply(BufferedImage source, PdqDihedral variant) {
        int w = source.getWidth();
        int h = source.getHeight();
        boolean swapsAxes = switch (variant) {
            case ROTATE_90_CW, ROTATE_90_CCW, TRANSPOSE, TRANSVERSE -> true;
            default -> false;
        };
        BufferedImage out = new BufferedImage(swapsAxes ? h : w, swapsAxes ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int[] from = sourcePixel(variant, x, y, w, h);
                out.setRGB(x, y, source.getRGB(from[0], from[1]));
            }
        }
        return out;
    }

    /** Source (x, y) of output pixel (x, y); w and h are the source's size. */
    private static int[] sourcePixel(PdqDihedral variant, int x, int y, int w, int h) {
        return switch (variant) {
            case ORIGINAL -> new int[] {x, y};
            case ROTATE_90_CW -> new int[] {y, h - 1 - x};
            case ROTATE_180 -> new int[] {w - 1 - x, h - 1 - y};
            case ROTATE_90_CCW -> new int[] {w - 1 - y, x};
            case MIRROR_HORIZONTAL -> new int[] {w - 1 - x, y};
            case MIRROR_VERTICAL -> new int[] {x, h - 1 - y};
            case TRANSPOSE -> new int[] {y, x};
            case TRANSVERSE -> new int[] {w - 1 - y, h - 1 - x};
        };
    }
}
