package io.refundguard.images.compare;

/**
 * The dense half of the check: lay the evidence thumbnail over the listing thumbnail through the
 * estimated transform ({@link ThumbnailWarp}) and compare them cell by cell. A copy shares the
 * listing's pixels, so outside the edited parts its cells agree to within resampling error;
 * another photo of the same product agrees at best on a flat printed face, and shows the rest
 * of the scene displaced (parallax) or different.
 *
 * <p>Each cell inside the overlap is classified:
 * <ul>
 *   <li>agrees: RMS difference within {@value #TOLERANCE_BASE} + {@value #TOLERANCE_SLOPE} x the
 *       cell's texture (mean gradient, grey levels/pixel); measured on undamaged cells of copies,
 *       99% stay below 8 + 0.25 x texture, re-encoded, resized, rotated or screenshotted;</li>
 *   <li>frame: differs, and the evidence there is a uniform colour connected to the overlap's
 *       edge (the page of a screenshot or the fill of a rotated canvas covering a cropped-off
 *       part);</li>
 *   <li>differs: anything else; a painted, torn or filled region.</li>
 * </ul>
 */
final class DenseVerifier {
    /** Cell side in listing-thumbnail pixels: 15 x 11 cells on a 4:3 thumbnail. */
    static final int CELL = 6;
    /** A cell is compared only when this share of it can be compared. */
    static final double MIN_USABLE = 0.6;
    static final float TOLERANCE_BASE = 8f;
    static final float TOLERANCE_SLOPE = 0.25f;
    /**
     * A thin crack changes a few thumbnail pixels a lot and leaves the cell's RMS within
     * tolerance: pixels beyond this many times the tolerance are counted for locating changes.
     */
    static final float PEAK = 3f;
    /** Evidence-thumbnail pixels per listing-thumbnail pixel below which peaks are not counted. */
    static final double PEAK_MIN_RESOLUTION = 0.8;
    /** Mean gradient above which a cell has texture to compare. */
    static final float TEXTURED = 4f;
    /** Share of a cell's pixels where the evidence must be uniform for it to be frame. */
    static final double FRAME_UNIFORM_SHARE = 0.5;

    private DenseVerifier() {}

    /**
     * @param listing listing thumbnail; {@code listingWidth x listingHeight} its photo's size
     * @param evidence evidence thumbnail
     * @param evidenceToListing original-pixel mapping from evidence to listing
     */
    static DenseCheck check(GreyImage listing, int listingWidth, int listingHeight, GreyImage evidence,
            int evidenceWidth, int evidenceHeight, Affine evidenceToListing) {
        Affine listingThumbToPhoto = new Affine((double) listingWidth / listing.width, 0,
                0.5 * listingWidth / listing.width - 0.5, 0, (double) listingHeight / listing.height,
                0.5 * listingHeight / listing.height - 0.5);
        Affine evidencePhotoToThumb = new Affine((double) evidence.width / evidenceWidth, 0,
                0.5 * evidence.width / evidenceWidth - 0.5, 0, (double) evidence.height / evidenceHeight,
                0.5 * evidence.height / evidenceHeight - 0.5);
        Affine toEvidence = evidencePhotoToThumb.after(evidenceToListing.inverse()).after(listingThumbToPhoto);
        ThumbnailWarp warp = ThumbnailWarp.of(listing, evidence, toEvidence);
        // Peaks mean something only at full resolution: a coarser evidence (a screenshot) leaves
        // far-off pixels along every sharp edge.
        boolean countPeaks = Math.sqrt(Math.abs(toEvidence.determinant())) >= PEAK_MIN_RESOLUTION;

        int w = warp.width;
        int h = warp.height;
        float[] listingGradient = gradient(warp.listing, w, h);
        int cols = Math.max(1, (int) Math.round((double) w / CELL));
        int rows = Math.max(1, (int) Math.round((double) h / CELL));
        int[] edgesX = edges(w, cols);
        int[] edgesY = edges(h, rows);
        int cells = cols * rows;
        byte[] state = new byte[cells];
        float[] texture = new float[cells];
        float[] aligned = new float[cells];
        byte[] peaks = new byte[cells];
        boolean[] uniform = new boolean[cells];
        for (int cy = 0; cy < rows; cy++) {
            for (int cx = 0; cx < cols; cx++) {
                int c = cy * cols + cx;
                Cell cell = new Cell(edgesX[cx], edgesX[cx + 1], edgesY[cy], edgesY[cy + 1]);
                int total = cell.area();
                int usable = cell.count(warp.usable, w);
                if (usable < MIN_USABLE * total) {
                    state[c] = DenseCheck.OUTSIDE;
                    continue;
                }
                texture[c] = cell.mean(listingGradient, warp.usable, w);
                aligned[c] = cell.rms(warp.listing, warp.evidence, warp.usable, w);
                float tolerance = TOLERANCE_BASE + TOLERANCE_SLOPE * texture[c];
                peaks[c] = countPeaks
                        ? (byte) Math.min(127, cell.countBeyond(warp.listing, warp.evidence, warp.usable, w, PEAK * tolerance))
                        : 0;
                // Frame covers listing detail; a uniform backdrop over a flat listing area is no evidence of it.
                uniform[c] = texture[c] >= TEXTURED && cell.countBoth(warp.uniform, warp.usable, w) >= FRAME_UNIFORM_SHARE * usable;
                state[c] = aligned[c] <= TOLERANCE_BASE + TOLERANCE_SLOPE * texture[c] ? DenseCheck.AGREES : DenseCheck.DIFFERS;
            }
        }
        markFrame(state, uniform, cols, rows);
        double overlap = (double) warp.insideCount / (w * h);
        double framed = framedShare(evidence.width, evidence.height, evidenceWidth, evidenceHeight, evidenceToListing,
                listingWidth, listingHeight);
        return new DenseCheck(cols, rows, edgesX, edgesY, state, texture, aligned, peaks, overlap, framed, warp);
    }

    /**
     * Differing cells where the evidence is a uniform colour become frame, if they reach the
     * overlap's edge through such cells: a screenshot's page or a canvas fill always surrounds the
     * shown part, while uniform paint in the middle of the photo is an edit.
     */
    private static void markFrame(byte[] state, boolean[] uniform, int cols, int rows) {
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        boolean[] frame = new boolean[state.length];
        for (int c = 0; c < state.length; c++) {
            if (frameCandidate(state, uniform, c) && touchesEdge(state, c, cols, rows)) {
                frame[c] = true;
                queue.add(c);
            }
        }
        Flood.fill(queue, frame, cols, rows, n -> frameCandidate(state, uniform, n));
        for (int c = 0; c < state.length; c++) {
            if (frame[c]) {
                state[c] = DenseCheck.FRAME;
            }
        }
    }

    private static boolean frameCandidate(byte[] state, boolean[] uniform, int c) {
        return uniform[c] && state[c] == DenseCheck.DIFFERS;
    }

    /** On the grid's border, or next to a cell outside the overlap. */
    private static boolean touchesEdge(byte[] state, int c, int cols, int rows) {
        int cx = c % cols;
        int cy = c / cols;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int nx = cx + dx;
                int ny = cy + dy;
                if (nx < 0 || ny < 0 || nx >= cols || ny >= rows || state[ny * cols + nx] == DenseCheck.OUTSIDE) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Central-difference gradient magnitude, grey levels per pixel. */
    static float[] gradient(float[] p, int w, int h) {
        float[] g = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float gx = (p[y * w + Math.min(w - 1, x + 1)] - p[y * w + Math.max(0, x - 1)]) / 2f;
                float gy = (p[Math.min(h - 1, y + 1) * w + x] - p[Math.max(0, y - 1) * w + x]) / 2f;
                g[y * w + x] = (float) Math.sqrt(gx * gx + gy * gy);
            }
        }
        return g;
    }

    private static double framedShare(int thumbWidth, int thumbHeight, int evidenceWidth, int evidenceHeight,
            Affine evidenceToListing, int listingWidth, int listingHeight) {
        int outside = 0;
        int total = 0;
        for (int j = 0; j < thumbHeight; j++) {
            for (int i = 0; i < thumbWidth; i++) {
                double x = (i + 0.5) * evidenceWidth / thumbWidth - 0.5;
                double y = (j + 0.5) * evidenceHeight / thumbHeight - 0.5;
                double lx = evidenceToListing.mapX(x, y);
                double ly = evidenceToListing.mapY(x, y);
                total++;
                if (lx < -0.5 || ly < -0.5 || lx > listingWidth - 0.5 || ly > listingHeight - 0.5) {
                    outside++;
                }
            }
        }
        return (double) outside / total;
    }

    private static int[] edges(int length, int cells) {
        int[] edges = new int[cells + 1];
        for (int k = 0; k <= cells; k++) {
            edges[k] = (int) Math.round((double) k * length / cells);
        }
        return edges;
    }
}
