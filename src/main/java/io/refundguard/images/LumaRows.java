package io.refundguard.images;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DirectColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Luma of one image row at a time. The reference defines a pixel's colour as what {@link
 * BufferedImage#getRGB} returns (so grey and palette images go through the colour model, and
 * alpha is ignored); the fast paths read raw samples only where they are provably the same
 * numbers, i.e. non-premultiplied 8-bit sRGB. Byte-interleaved rasters (what ImageIO decodes
 * JPEG and most PNG into) are copied a row of bytes at a time, the cheapest access Raster offers.
 * Public because the local-feature extractor in {@code compare} reads pixels the same way, so a
 * photo's PDQ hash and its local features see the same grey values.
 */
public final class LumaRows {
    // Rec. 601 weights as floats, evaluated in float as the reference does.
    private static final float FROM_R = 0.299f;
    private static final float FROM_G = 0.587f;
    private static final float FROM_B = 0.114f;

    private final BufferedImage image;
    private final int width;
    private final Access access;
    private final int bands;
    private final byte[] bytes;
    private final int[] samples;
    private final int[] argb;

    private enum Access { INTERLEAVED_BYTES, SAMPLES, COLOR_MODEL }

    public LumaRows(BufferedImage image) {
        this.image = image;
        this.width = image.getWidth();
        this.access = accessFor(image);
        this.bands = image.getRaster().getNumBands();
        this.bytes = access == Access.INTERLEAVED_BYTES ? new byte[width * bands] : null;
        this.samples = access == Access.SAMPLES ? new int[width * bands] : null;
        this.argb = access == Access.COLOR_MODEL ? new int[width] : null;
    }

    public void read(int y, float[] luma) {
        switch (access) {
            case INTERLEAVED_BYTES -> readInterleavedBytes(y, luma);
            case SAMPLES -> readRawSamples(y, luma);
            case COLOR_MODEL -> readThroughColorModel(y, luma);
        }
    }

    static float luma(int r, int g, int b) {
        return FROM_R * r + FROM_G * g + FROM_B * b;
    }

    private void readInterleavedBytes(int y, float[] luma) {
        // One data element per band, in band order (R, G, B[, A]) whatever the memory layout.
        image.getRaster().getDataElements(0, y, width, 1, bytes);
        for (int x = 0, s = 0; x < width; x++, s += bands) {
            luma[x] = luma(bytes[s] & 0xff, bytes[s + 1] & 0xff, bytes[s + 2] & 0xff);
        }
    }

    private void readRawSamples(int y, float[] luma) {
        Raster raster = image.getRaster();
        raster.getPixels(0, y, width, 1, samples);
        for (int x = 0, s = 0; x < width; x++, s += bands) {
            luma[x] = luma(samples[s], samples[s + 1], samples[s + 2]);
        }
    }

    private void readThroughColorModel(int y, float[] luma) {
        image.getRGB(0, y, width, 1, argb, 0, width);
        for (int x = 0; x < width; x++) {
            int rgb = argb[x];
            luma[x] = luma((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
        }
    }

    private static Access accessFor(BufferedImage image) {
        ColorModel model = image.getColorModel();
        if (!samplesAreSrgbBytes(model)) {
            return Access.COLOR_MODEL;
        }
        boolean interleaved = image.getSampleModel() instanceof PixelInterleavedSampleModel
                && model.getTransferType() == DataBuffer.TYPE_BYTE;
        return interleaved ? Access.INTERLEAVED_BYTES : Access.SAMPLES;
    }

    private static boolean samplesAreSrgbBytes(ColorModel model) {
        if (!(model instanceof ComponentColorModel || model instanceof DirectColorModel)) {
            return false;
        }
        if (model.isAlphaPremultiplied() || model.getNumColorComponents() != 3) {
            return false;
        }
        ColorSpace space = model.getColorSpace();
        if (!space.isCS_sRGB()) {
            return false;
        }
        for (int size : model.getComponentSize()) {
            if (size != 8) {
                return false;
            }
        }
        return true;
    }
}
