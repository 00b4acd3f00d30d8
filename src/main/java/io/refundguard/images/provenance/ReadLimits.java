package io.refundguard.images.provenance;

/**
 * Bounds on what one evidence file may cost to read. Every length a file declares is checked
 * against these and against the bytes actually there before anything is allocated, so a hostile
 * file costs at most a few of these sizes in memory and a time linear in them.
 */
final class ReadLimits {
    /**
     * JPEG APP1 and APP11 segments, or PNG text and EXIF chunks, kept for reading. Real files
     * have a handful (a large manifest store a few hundred APP11 segments); each kept one costs
     * objects in metadata-extractor, so tiny ones by the million would cost memory.
     */
    static final int MAX_METADATA_SEGMENTS = 4096;

    /** Phone photos are a few MB; a larger "photo" is not evidence we should spend a core on. */
    static final int MAX_FILE_BYTES = 64 << 20;

    /**
     * EXIF and XMP handed to metadata-extractor, summed over the file. Real files carry well
     * under 1 MiB; xmpcore's work grows faster than linearly with sibling properties, so this
     * also bounds parse time.
     */
    static final int MAX_METADATA_BYTES = 4 << 20;

    /**
     * Markup ('<' and '=' bytes, so elements and attributes) in all the XMP of one file. xmpcore
     * checks each new property against its siblings one by one, so n properties under one parent
     * cost n²/2 string comparisons: on this project's loaded 2-core machine 48,000 siblings (1 MiB)
     * took 35 s, 13,000 took 2 s. Real packets have a few hundred; Photoshop's notorious
     * DocumentAncestors lists run to a few thousand.
     */
    static final int MAX_XMP_MARKUP = 10_000;

    /** One XMP packet, including JPEG extended XMP reassembled by metadata-extractor. */
    static final int MAX_XMP_PACKET_BYTES = 1 << 20;

    /**
     * One PNG text or EXIF chunk, stored or after inflating (the zip-bomb bound); the same size
     * as an XMP packet since a text chunk may hold one.
     */
    static final int MAX_TEXT_CHUNK_BYTES = MAX_XMP_PACKET_BYTES;

    /** Sum of inflated PNG text over the file, so many small bombs are bounded too. */
    static final int MAX_TOTAL_INFLATED_TEXT_BYTES = 4 << 20;

    /** C2PA manifest stores with thumbnails and ingredient manifests run to a few hundred KB. */
    static final int MAX_MANIFEST_STORE_BYTES = 16 << 20;

    /** C2PA nests store, manifest, assertion store, assertion and sometimes one more level. */
    static final int MAX_JUMBF_DEPTH = 12;

    static final int MAX_JUMBF_BOXES = 10_000;

    /** C2PA CBOR is shallow (action, parameters, a map or two inside). */
    static final int MAX_CBOR_DEPTH = 32;

    /** Data items in one CBOR assertion; real ones have tens to hundreds. */
    static final int MAX_CBOR_ITEMS = 100_000;

    /** The wire contract's longest text field; longer values are clipped, not rejected. */
    static final int MAX_TEXT_CHARS = 2048;

    /** The wire contract's bound on {@code digitalSourceTypes}. */
    static final int MAX_SOURCE_TYPES = 64;

    private ReadLimits() {}
}
