package io.refundguard.images.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Shi-Tomasi corners (the smaller eigenvalue of the local structure tensor) on one pyramid
 * level, with non-maximum suppression and sub-pixel refinement. Corners, unlike edges, are
 * located in both directions, which is what a geometric check needs; the smaller eigenvalue
 * ranks a true corner above a strong straight edge, whose second eigenvalue is near zero.
 * Selection spreads the budget over a grid, so a copy whose damaged half is busy (a crack
 * creates many strong corners) still keeps corners in its untouched half.
 */
final class CornerDetector {
    /** Corners closer to the border than this cannot carry a full descriptor patch. */
    static final int BORDER = DescriptorExtractor.PATCH_RADIUS + 2;
    /**
     * Weakest accepted response, in (grey levels per pixel)^2 averaged over the window. Half the
     * pixels of a photo respond below ~5 (flat areas and their noise); the strongest corners
     * of a sharp photo reach ~1,000, of a soft one (a close-up with shallow depth of field)
     * only ~100. So the floor only rejects noise, and the budget picks the strongest.
     */
    static final float MIN_RESPONSE = 8f;
    private static final int NMS_RADIUS = 2;
    private static final int WINDOW_RADIUS = 2;

    record Corner(float x, float y, float response) {}

    private CornerDetector() {}

    static List<Corner> detect(GreyImage image, int budget) {
        int w = image.width;
        int h = image.height;
        if (budget <= 0 || w <= 2 * BORDER || h <= 2 * BORDER) {
            return List.of();
        }
        float[] response = response(image);
        List<Corner> candidates = new ArrayList<>();
        for (int y = BORDER; y < h - BORDER; y++) {
            for (int x = BORDER; x < w - BORDER; x++) {
                float r = response[y * w + x];
                if (r >= MIN_RESPONSE && isLocalMaximum(response, w, x, y, r)) {
                    candidates.add(refine(response, w, x, y, r));
                }
            }
        }
        return spread(candidates, w, h, budget);
    }

    private static float[] response(GreyImage image) {
        int w = image.width;
        int h = image.height;
        float[] p = image.pixels;
        GreyImage xx = new GreyImage(w, h);
        GreyImage yy = new GreyImage(w, h);
        GreyImage xy = new GreyImage(w, h);
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                // Sobel, divided by 8 so a step of 1 grey level per pixel reads as 1.
                float gx = ((p[i - w + 1] + 2 * p[i + 1] + p[i + w + 1]) - (p[i - w - 1] + 2 * p[i - 1] + p[i + w - 1])) / 8f;
                float gy = ((p[i + w - 1] + 2 * p[i + w] + p[i + w + 1]) - (p[i - w - 1] + 2 * p[i - w] + p[i - w + 1])) / 8f;
                xx.pixels[i] = gx * gx;
                yy.pixels[i] = gy * gy;
                xy.pixels[i] = gx * gy;
            }
        }
        // A 5x5 window: about the support of a Gaussian of sigma 1.5, at a third of the cost.
        float[] a = Filters.box(xx, WINDOW_RADIUS).pixels;
        float[] c = Filters.box(yy, WINDOW_RADIUS).pixels;
        float[] b = Filters.box(xy, WINDOW_RADIUS).pixels;
        float[] out = new float[w * h];
        for (int i = 0; i < out.length; i++) {
            float half = (a[i] - c[i]) / 2f;
            out[i] = (a[i] + c[i]) / 2f - (float) Math.sqrt(half * half + b[i] * b[i]);
        }
        return out;
    }

    /** Strictly greater than earlier neighbours, at least as large as later ones: one winner per plateau. */
    private static boolean isLocalMaximum(float[] r, int w, int x, int y, float value) {
        for (int dy = -NMS_RADIUS; dy <= NMS_RADIUS; dy++) {
            for (int dx = -NMS_RADIUS; dx <= NMS_RADIUS; dx++) {
                if (dx == 0 && dy == 0) {
                    continue;
                }
                float other = r[(y + dy) * w + x + dx];
                boolean earlier = dy < 0 || (dy == 0 && dx < 0);
                if (earlier ? other >= value : other > value) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Peak of a parabola through the response and its neighbours, per axis. */
    private static Corner refine(float[] r, int w, int x, int y, float value) {
        int i = y * w + x;
        return new Corner(x + offset(r[i - 1], value, r[i + 1]), y + offset(r[i - w], value, r[i + w]), value);
    }

    private static float offset(float before, float centre, float after) {
        float curvature = before - 2 * centre + after;
        if (curvature >= 0) {
            return 0f;
        }
        float d = (before - after) / (2 * curvature);
        return Math.max(-0.5f, Math.min(0.5f, d));
    }

    /**
     * Round-robin over grid cells: the strongest corner of every cell first (strongest cells
     * first), then every cell's second, and so on, until the budget is spent.
     */
    static List<Corner> spread(List<Corner> candidates, int w, int h, int budget) {
        if (candidates.size() <= budget) {
            return candidates;
        }
        double cell = Math.sqrt((double) w * h / (budget * 1.5));
        int cols = Math.max(1, (int) Math.ceil(w / cell));
        int rows = Math.max(1, (int) Math.ceil(h / cell));
        List<List<Corner>> buckets = new ArrayList<>();
        for (int i = 0; i < cols * rows; i++) {
            buckets.add(new ArrayList<>());
        }
        for (Corner c : candidates) {
            int cx = Math.min(cols - 1, (int) (c.x() / cell));
            int cy = Math.min(rows - 1, (int) (c.y() / cell));
            buckets.get(cy * cols + cx).add(c);
        }
        Comparator<Corner> strongestFirst = Comparator.comparingDouble((Corner c) -> -c.response())
                .thenComparingDouble(Corner::y).thenComparingDouble(Corner::x);
        for (List<Corner> bucket : buckets) {
            bucket.sort(strongestFirst);
        }
        List<Corner> chosen = new ArrayList<>(budget);
        for (int round = 0; chosen.size() < budget; round++) {
            List<Corner> tier = new ArrayList<>();
            for (List<Corner> bucket : buckets) {
                if (bucket.size() > round) {
                    tier.add(bucket.get(round));
                }
            }
            if (tier.isEmpty()) {
                break;
            }
            tier.sort(strongestFirst);
            for (Corner c : tier) {
                if (chosen.size() == budget) {
                    break;
                }
                chosen.add(c);
            }
        }
        return chosen;
    }
}
