package io.refundguard.images.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One bounded pass over a PNG's chunks. It finds the C2PA {@code caBX} chunk (no library reads
 * it) and builds a reduced PNG holding only the chunks metadata-extractor should read: IHDR, the
 * text chunks and eXIf.
 *
 * <p>Why not hand metadata-extractor the whole file: it inflates zTXt, compressed iTXt and iCCP
 * with no bound (a 1 MB chunk can inflate to gigabytes) and allocates whatever length a chunk
 * declares before reading it. Here every chunk length is checked against the file, every
 * compressed text chunk is test-inflated into a bounded sink first, and iCCP (no provenance in
 * it) is left out.
 */
final class PngScanner {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] IEND_CHUNK = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** metadata-extractor parses zTXt and iTXt chunks under this keyword as XMP (not tEXt). */
    private static final String XMP_KEYWORD = "XML:com.adobe.xmp";

    record Scan(byte[] metadataPng, JpegScanner.Region manifestStore) {}

    private PngScanner() {}

    static boolean isPng(byte[] file) {
        return Bytes.startsWith(file, 0, file.length, SIGNATURE);
    }

    static Scan scan(byte[] file) throws UnreadableImageException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream(1024);
        kept.write(SIGNATURE, 0, SIGNATURE.length);
        JpegScanner.Region manifest = null;
        long keptBytes = 0;
        int keptChunks = 0;
        long inflatedTotal = 0;
        XmpMarkupBudget xmpMarkup = new XmpMarkupBudget();
        boolean first = true;
        int pos = SIGNATURE.length;
        // A file that stops cleanly between chunks before IEND is read for what it has: the
        // metadata chunks come before the image data, and truncated uploads are common.
        while (pos < file.length) {
            if (file.length - pos < 12) {
                throw new UnreadableImageException("PNG: chunk at offset " + pos + " is cut off");
            }
            long length = Bytes.u32(file, pos);
            String type = new String(file, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > file.length - pos - 12) {
                throw new UnreadableImageException("PNG: chunk '" + Text.printable(type) + "' at offset "
                        + pos + " declares " + length + " bytes but the file has "
                        + (file.length - pos - 12) + " left");
            }
            int data = pos + 8;
            int dataEnd = data + (int) length;
            int next = dataEnd + 4;
            if (first && !type.equals("IHDR")) {
                throw new UnreadableImageException("PNG: first chunk is '" + Text.printable(type)
                        + "', not IHDR");
            }
            first = false;
            switch (type) {
                case "IEND":
                    pos = file.length;
                    continue;
                case "caBX":
                    if (manifest == null) {
                        manifest = new JpegScanner.Region(file, data, dataEnd);
                    }
                    break;
                case "zTXt":
                case "iTXt":
                    inflatedTotal += checkText(file, type, data, dataEnd, xmpMarkup);
                    if (inflatedTotal > ReadLimits.MAX_TOTAL_INFLATED_TEXT_BYTES) {
                        throw new UnreadableImageException("PNG: compressed text chunks inflate past "
                                + ReadLimits.MAX_TOTAL_INFLATED_TEXT_BYTES + " bytes in total");
                    }
                    // fall through: kept like the other metadata chunks
                case "IHDR":
                case "tEXt":
                case "eXIf":
                    if (length > ReadLimits.MAX_TEXT_CHUNK_BYTES) {
                        throw new UnreadableImageException("PNG: " + type + " chunk at offset " + pos
                                + " is larger than " + ReadLimits.MAX_TEXT_CHUNK_BYTES + " bytes");
                    }
                    keptBytes += length;
                    if (++keptChunks > ReadLimits.MAX_METADATA_SEGMENTS) {
                        throw new UnreadableImageException("PNG: more than " + ReadLimits.MAX_METADATA_SEGMENTS
                                + " text and EXIF chunks");
                    }
                    if (keptBytes > ReadLimits.MAX_METADATA_BYTES) {
                        throw new UnreadableImageException("PNG: text and EXIF chunks exceed "
                                + ReadLimits.MAX_METADATA_BYTES + " bytes");
                    }
                    kept.write(file, pos, next - pos);
                    break;
                default:
                    break;
            }
            pos = next;
        }
        if (first) {
            throw new UnreadableImageException("PNG: no chunks after the signature");
        }
        kept.write(IEND_CHUNK, 0, IEND_CHUNK.length);
        return new Scan(kept.toByteArray(), manifest);
    }

    /**
     * Returns the inflated size of a compressed text chunk (0 if stored), never above the bound,
     * and charges XMP in it to the markup budget.
     */
    private static long checkText(byte[] file, String type, int data, int end, XmpMarkupBudget xmpMarkup)
            throws UnreadableImageException {
        int keywordEnd = nul(file, data, Math.min(end, data + 80));
        if (keywordEnd < 0) {
            throw new UnreadableImageException("PNG: " + type + " chunk keyword is not NUL-terminated");
        }
        String keyword = Text.printable(new String(file, data, keywordEnd - data, StandardCharsets.ISO_8859_1));
        XmpMarkupBudget xmp = keyword.equals(XMP_KEYWORD) ? xmpMarkup : null;
        int text;
        if (type.equals("zTXt")) {
            text = keywordEnd + 2; // compression method byte
        } else {
            if (end - keywordEnd < 3) {
                throw new UnreadableImageException("PNG: iTXt chunk '" + keyword + "' is cut off");
            }
            if (file[keywordEnd + 1] == 0) {
                if (xmp != null) {
                    xmp.spend(file, keywordEnd, end);
                }
                return 0; // stored, not compressed
            }
            int language = nul(file, keywordEnd + 3, end);
            int translated = language < 0 ? -1 : nul(file, language + 1, end);
            if (translated < 0) {
                throw new UnreadableImageException("PNG: iTXt chunk '" + keyword + "' is cut off");
            }
            text = translated + 1;
        }
        if (text > end) {
            throw new UnreadableImageException("PNG: " + type + " chunk '" + keyword + "' is cut off");
        }
        return inflatedSize(file, text, end, type, keyword, xmp);
    }

    private static long inflatedSize(byte[] file, int start, int end, String type, String keyword,
            XmpMarkupBudget xmp) throws UnreadableImageException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(file, start, end - start);
            byte[] sink = new byte[8192];
            long total = 0;
            while (!inflater.finished()) {
                int n = inflater.inflate(sink);
                total += n;
                if (xmp != null) {
                    xmp.spend(sink, 0, n);
                }
                if (total > ReadLimits.MAX_TEXT_CHUNK_BYTES) {
                    throw new UnreadableImageException("PNG: " + type + " chunk '" + keyword
                            + "' inflates past " + ReadLimits.MAX_TEXT_CHUNK_BYTES + " bytes");
                }
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new UnreadableImageException("PNG: " + type + " chunk '" + keyword
                            + "' holds truncated compressed text");
                }
            }
            return total;
        } catch (DataFormatException e) {
            throw new UnreadableImageException("PNG: " + type + " chunk '" + keyword
                    + "' holds invalid compressed text: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static int nul(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
