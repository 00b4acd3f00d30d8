package io.refundguard.images;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The hashes of all eight rotations/mirror images of one picture, and its quality (the same for
 * all eight). Indexing all eight lets a rotated or mirrored re-upload of a listing photo match.
 */
public record PdqDihedralResult(Map<PdqDihedral, PdqHash> hashes, int quality) {
    public PdqDihedralResult {
        if (hashes == null || hashes.size() != PdqDihedral.values().length) {
            throw new IllegalArgumentException("all eight dihedral hashes are required");
        }
        hashes = Collections.unmodifiableMap(new EnumMap<>(hashes));
    }

    public PdqHash hash(PdqDihedral variant) {
        return hashes.get(variant);
    }

    public PdqResult result(PdqDihedral variant) {
        return new PdqResult(hash(variant), quality);
    }

    /** Smallest distance from {@code other} to any of the eight variants. */
    public int minDistance(PdqHash other) {
        int best = PdqHash.BITS;
        for (PdqHash hash : hashes.values()) {
            best = Math.min(best, hash.distance(other));
        }
        return best;
    }
}
