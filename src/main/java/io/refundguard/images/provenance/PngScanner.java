package io.refundguard.images.provenance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    /**
     * Reduced PNGs for metadata-extractor, one per kind so that a failure in one hides nothing
     * in another: the text chunks the reader uses, the XMP, and the EXIF.
     *
     * @param incomplete what was not read, one line each: a malformed chunk, a bound
     */
    record Scan(byte[] textPng, byte[] xmpPng, byte[] exifPng, JpegScanner.Region manifestStore,
            List<String> incomplete) {}

    private PngScanner() {}

    static boolean isPng(byte[] file) {
        return Bytes.startsWith(file, 0, file.length, SIGNATURE);
    }

    /**
     * Keeps the first text chunk under each of {@code keywords} (lower-case; the XMP keyword is
     * always kept) and the first eXIf chunk: the reader uses no others, so thousands of junk text
     * chunks before the label cost a linear walk and hide nothing. A malformed or oversized kept
     * chunk is left out and named in {@link Scan#incomplete()}; a broken chunk structure ends
     * the walk there. Only a file that is no PNG at all is refused.
     */
    static Scan scan(byte[] file, Set<String> keywords) throws UnreadableImageException {
        ByteArrayOutputStream text = startPng();
        ByteArrayOutputStream xmp = startPng();
        ByteArrayOutputStream exif = startPng();
        List<String> incomplete = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        JpegScanner.Region manifest = null;
        long keptBytes = 0;
        long inflatedTotal = 0;
        XmpMarkupBudget xmpMarkup = new XmpMarkupBudget();
        boolean first = true;
        int pos = SIGNATURE.length;
        // A file that stops cleanly between chunks before IEND is read for what it has: the
        // metadata chunks come before the image data, and truncated uploads are common.
        while (pos < file.length) {
            if (file.length - pos < 12) {
                incomplete.add("PNG: chunk at offset " + pos + " is cut off");
                break;
            }
            long length = Bytes.u32(file, pos);
            String type = new String(file, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > file.length - pos - 12) {
                String what = "PNG: chunk '" + Text.printable(type) + "' at offset " + pos + " declares " + length
                        + " bytes but the file has " + (file.length - pos - 12) + " left";
                if (first) {
                    throw new UnreadableImageException(what);
                }
                incomplete.add(what + "; nothing after it read");
                break;
            }
            int data = pos + 8;
            int dataEnd = data + (int) length;
            int next = dataEnd + 4;
            if (first && !type.equals("IHDR")) {
                throw new UnreadableImageException("PNG: first chunk is '" + Text.printable(type)
                        + "', not IHDR");
            }
            if (first) {
                for (ByteArrayOutputStream out : List.of(text, xmp, exif)) {
                    out.write(file, pos, next - pos);
                }
            }
            first = false;
            pos = next;
            try {
                switch (type) {
                    case "IEND" -> pos = file.length;
                    case "caBX" -> {
                        if (manifest == null) {
                            manifest = new JpegScanner.Region(file, data, dataEnd);
                        }
                    }
                    case "eXIf" -> {
                        if (seen.add("eXIf")) {
                            keptBytes = keep(exif, file, data - 8, next, length, type, keptBytes);
                        }
                    }
                    case "tEXt", "zTXt", "iTXt" -> {
                        String keyword = keyword(file, type, data, dataEnd);
                        boolean isXmp = keyword.equals(XMP_KEYWORD);
                        if (!(isXmp || keywords.contains(keyword.toLowerCase(Locale.ROOT)))
                                || !seen.add(type.equals("tEXt") ? keyword : keyword + "/compressed-or-intl")) {
                            break;
                        }
                        if (!type.equals("tEXt")) {
                            long inflated = checkText(file, type, data, dataEnd, isXmp ? xmpMarkup : null);
                            if (inflatedTotal + inflated > ReadLimits.MAX_TOTAL_INFLATED_TEXT_BYTES) {
                                throw new UnreadableImageException("read limit: compressed text chunks inflate past "
                                        + ReadLimits.MAX_TOTAL_INFLATED_TEXT_BYTES + " bytes in total");
                            }
                            inflatedTotal += inflated;
                        } else if (isXmp) {
                            xmpMarkup.spend(file, data, dataEnd);
                        }
                        keptBytes = keep(isXmp ? xmp : text, file, data - 8, next, length, type, keptBytes);
                    }
                    default -> { }
                }
            } catch (UnreadableImageException e) {
                incomplete.add(e.getMessage() + "; that chunk not read");
            }
        }
        if (first) {
            throw new UnreadableImageException("PNG: no chunks after the signature");
        }
        return new Scan(endPng(text), endPng(xmp), endPng(exif), manifest, incomplete);
    }

    private static ByteArrayOutputStream startPng() {
        ByteArrayOutputStream png = new ByteArrayOutputStream(1024);
        png.write(SIGNATURE, 0, SIGNATURE.length);
        return png;
    }

    private static byte[] endPng(ByteArrayOutputStream png) {
        png.write(IEND_CHUNK, 0, IEND_CHUNK.length);
        return png.toByteArray();
    }

    private static long keep(ByteArrayOutputStream into, byte[] file, int chunkStart, int chunkEnd, long length,
            String type, long keptBytes) throws UnreadableImageException {
        if (length > ReadLimits.MAX_TEXT_CHUNK_BYTES) {
            throw new UnreadableImageException("read limit: PNG " + type + " chunk at offset " + chunkStart
                    + " is larger than " + ReadLimits.MAX_TEXT_CHUNK_BYTES + " bytes");
        }
        if (keptBytes + length > ReadLimits.MAX_METADATA_BYTES) {
            throw new UnreadableImageException("read limit: PNG text and EXIF chunks exceed "
                    + ReadLimits.MAX_METADATA_BYTES + " bytes");
        }
        into.write(file, chunkStart, chunkEnd - chunkStart);
        return keptBytes + length;
    }

    private static String keyword(byte[] file, String type, int data, int end) throws UnreadableImageException {
        int keywordEnd = nul(file, data, Math.min(end, data + 80));
        if (keywordEnd < 0) {
            throw new UnreadableImageException("PNG: " + type + " chunk keyword is not NUL-terminated");
        }
        return Text.printable(new String(file, data, keywordEnd - data, StandardCharsets.ISO_8859_1));
    }

    /**
     * Returns the inflated size of a compressed text chunk (0 if stored), never above the bound,
     * and charges XMP in it to the markup budget.
     */
    private static long checkText(byte[] file, String type, int data, int end, XmpMarkupBudget xmp)
            throws UnreadableImageException {
        int keywordEnd = nul(file, data, Math.min(end, data + 80));
        String keyword = Text.printable(new String(file, data, keywordEnd - data, StandardCharsets.ISO_8859_1));
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
