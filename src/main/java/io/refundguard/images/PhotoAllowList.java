package io.refundguard.images;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Photos that never count as reuse or as a listing match: a platform's own sample photos, stock
 * images many shops use. Part of the rule set, so it changes at run time like the rules and
 * applies from the rule set's effective time; managed by the operator ({@code rules --allow-list}).
 *
 * <p>A photo is allowed when its SHA-256 is listed, or its PDQ hash is within {@code radius} of a
 * listed one; a match is ignored when either of its two photos is allowed.
 *
 * @param radius PDQ distance within which a photo counts as a listed one
 * @param photos the listed photos, at most {@link #MAX_PHOTOS}
 */
public record PhotoAllowList(int radius, List<AllowedPhoto> photos) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Every lookup scans the list; ten thousand hashes cost ~20 microseconds. */
    public static final int MAX_PHOTOS = 10_000;
    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

    public static final PhotoAllowList NONE = new PhotoAllowList(31, List.of());

    /**
     * One listed photo.
     *
     * @param hash {@code pdq:} or {@code sha256:} and 64 hex characters
     * @param note what it is, for the people who keep the list
     */
    public record AllowedPhoto(String hash, String note) implements Serializable {
        private static final long serialVersionUID = 1L;

        public AllowedPhoto {
            if (hash == null || !(hash.startsWith("pdq:") || hash.startsWith("sha256:"))
                    || !HEX_64.matcher(hash.substring(hash.indexOf(':') + 1).toLowerCase(Locale.ROOT)).matches()) {
                throw new IllegalArgumentException("hash: expected \"pdq:\" or \"sha256:\" and 64 hex characters, got \""
                        + hash + "\"");
            }
            hash = hash.toLowerCase(Locale.ROOT);
            note = note == null ? "" : note;
        }

        String pdq() {
            return hash.startsWith("pdq:") ? hash.substring(4) : null;
        }

        String sha256() {
            return hash.startsWith("sha256:") ? hash.substring(7) : null;
        }
    }

    public PhotoAllowList {
        if (radius < 0 || radius > 63) {
            throw new IllegalArgumentException("radius: expected 0..63, got " + radius);
        }
        photos = photos == null ? List.of() : List.copyOf(photos);
        if (photos.size() > MAX_PHOTOS) {
            throw new IllegalArgumentException("photos: " + photos.size() + " listed; at most " + MAX_PHOTOS);
        }
    }

    /** The list ready to check photos against: hashes parsed once, digests in a set. */
    public Matcher matcher() {
        return new Matcher(this);
    }

    /** Checks photos against one allow-list. Immutable; build once per list. */
    public static final class Matcher {
        private final int radius;
        private final List<PdqHash> hashes = new ArrayList<>();
        private final Set<String> shas = new HashSet<>();

        private Matcher(PhotoAllowList list) {
            this.radius = list.radius();
            for (AllowedPhoto photo : list.photos()) {
                if (photo.pdq() != null) {
                    hashes.add(PdqHash.fromHex(photo.pdq()));
                }
                if (photo.sha256() != null) {
                    shas.add(photo.sha256());
                }
            }
        }

        public boolean isEmpty() {
            return hashes.isEmpty() && shas.isEmpty();
        }

        /** Whether a photo with this SHA-256 (or null) and this PDQ hash (or null) is listed. */
        public boolean allows(String sha256, PdqHash pdq) {
            if (sha256 != null && shas.contains(sha256.toLowerCase(Locale.ROOT))) {
                return true;
            }
            return pdq != null && allowsHash(pdq);
        }

        public boolean allowsHash(PdqHash pdq) {
            for (PdqHash listed : hashes) {
                if (listed.distance(pdq) <= radius) {
                    return true;
                }
            }
            return false;
        }
    }
}
