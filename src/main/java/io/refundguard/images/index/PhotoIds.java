package io.refundguard.images.index;

/**
 * The 64-bit key a photo is filed under. A long rather than the image key itself so the in-memory
 * index can name a photo's state in eight bytes; two image keys may share an id (state keeps a
 * list per id), so an id only routes and never identifies on its own.
 */
public final class PhotoIds {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private PhotoIds() {}

    /** FNV-1a over the key's characters, then a finaliser so similar keys spread over key groups. */
    public static long of(String imageKey) {
        long hash = FNV_OFFSET;
        for (int i = 0; i < imageKey.length(); i++) {
            hash ^= imageKey.charAt(i);
            hash *= FNV_PRIME;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
