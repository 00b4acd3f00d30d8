package io.refundguard.images.provenance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bounded pass over a JPEG's marker segments up to the first scan: collects the APP1
 * segments (EXIF, XMP) for metadata-extractor and reassembles the APP11 JUMBF boxes that carry
 * C2PA, which no library reads.
 *
 * <p>Segment lengths are 16-bit, so no segment costs more than 64 KiB; every length is checked
 * against the file before use. Metadata after the first SOS is not read (nor does
 * metadata-extractor read it): every writer puts it before the image data.
 */
final class JpegScanner {
    static final int APP1 = 0xE1;
    private static final int APP11 = 0xEB;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;

    private static final byte[] JUMBF_ID = {'J', 'P'};
    private static final byte[] XMP_ID = "http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EXTENDED_XMP_ID =
            "http://ns.adobe.com/xmp/extension/\0".getBytes(StandardCharsets.ISO_8859_1);
    /** Extended XMP: id, 32-byte GUID, full length, chunk offset, then the chunk. */
    private static final int EXTENDED_XMP_HEADER = EXTENDED_XMP_ID.length + 32 + 4 + 4;

    /** A JUMBF box, either in place in the file or reassembled from several APP11 segments. */
    record Region(byte[] buf, int start, int end) {}

    /**
     * @param exifSegments APP1 EXIF segments
     * @param xmpSegments APP1 XMP and extended XMP segments, empty when their markup is over the
     *     bound (then named in {@code incomplete})
     * @param incomplete what was not read, one line each: a malformed segment or box, a bound
     */
    record Scan(List<byte[]> exifSegments, List<byte[]> xmpSegments, List<Region> jumbfBoxes,
            List<String> incomplete) {}

    private record Packet(long sequence, int boxStart, int headerLength, int end) {}

    private JpegScanner() {}

    static boolean isJpeg(byte[] file) {
        return file.length >= 3 && (file[0] & 0xff) == 0xFF && (file[1] & 0xff) == 0xD8
                && (file[2] & 0xff) == 0xFF;
    }

    /**
     * Never fails on a bad part: each segment is read on its own, and what is malformed or over
     * a bound is left out and named in {@link Scan#incomplete()}, so one bad APP11 segment cannot
     * hide the XMP or the manifest after it. A broken segment structure ends the walk there.
     */
    static Scan scan(byte[] file) {
        List<byte[]> exif = new ArrayList<>();
        List<byte[]> xmp = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        long app1Bytes = 0;
        Map<Integer, List<Packet>> jumbf = new LinkedHashMap<>();
        XmpMarkupBudget xmpMarkup = new XmpMarkupBudget();
        boolean xmpOverBudget = false;
        int kept = 0;
        int pos = 2;
        while (pos < file.length) {
            if ((file[pos] & 0xff) != 0xFF) {
                incomplete.add("JPEG: expected a marker at offset " + pos + ", found byte 0x"
                        + Integer.toHexString(file[pos] & 0xff) + "; nothing after it read");
                break;
            }
            // 0xFF may repeat as fill before the marker code.
            while (pos < file.length && (file[pos] & 0xff) == 0xFF) {
                pos++;
            }
            if (pos == file.length) {
                break;
            }
            int marker = file[pos++] & 0xff;
            if (marker == SOS || marker == EOI) {
                break;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // markers without a length
            }
            if (file.length - pos < 2) {
                incomplete.add("JPEG: segment 0x" + Integer.toHexString(marker) + " at offset " + (pos - 2)
                        + " is cut off");
                break;
            }
            int length = Bytes.u16(file, pos);
            if (length < 2 || length > file.length - pos) {
                incomplete.add("JPEG: segment 0x" + Integer.toHexString(marker) + " at offset " + (pos - 2)
                        + " declares " + length + " bytes but the file has " + (file.length - pos)
                        + " left; nothing after it read");
                break;
            }
            int start = pos + 2;
            int end = pos + length;
            pos = end;
            boolean jumbfPacket = marker == APP11 && Bytes.startsWith(file, start, end, JUMBF_ID);
            if (marker != APP1 && !jumbfPacket) {
                continue;
            }
            if (++kept > ReadLimits.MAX_METADATA_SEGMENTS) {
                if (kept == ReadLimits.MAX_METADATA_SEGMENTS + 1) {
                    incomplete.add("read limit: JPEG has more than " + ReadLimits.MAX_METADATA_SEGMENTS
                            + " APP1/APP11 segments; later ones not read");
                }
                continue;
            }
            try {
                if (jumbfPacket) {
                    addPacket(file, start, end, jumbf);
                    continue;
                }
                boolean isXmp = Bytes.startsWith(file, start, end, XMP_ID);
                boolean isExtendedXmp = Bytes.startsWith(file, start, end, EXTENDED_XMP_ID);
                if (isExtendedXmp) {
                    checkExtendedXmp(file, start, end);
                }
                if ((isXmp || isExtendedXmp) && xmpOverBudget) {
                    continue;
                }
                if (isXmp || isExtendedXmp) {
                    try {
                        xmpMarkup.spend(file, start, end);
                    } catch (UnreadableImageException e) {
                        xmpOverBudget = true;
                        xmp.clear();
                        incomplete.add("read limit: " + e.getMessage() + "; XMP not read");
                        continue;
                    }
                }
                if (app1Bytes + (end - start) > ReadLimits.MAX_METADATA_BYTES) {
                    incomplete.add("read limit: JPEG APP1 (EXIF/XMP) segments exceed " + ReadLimits.MAX_METADATA_BYTES
                            + " bytes; the segment at offset " + (start - 4) + " not read");
                    continue;
                }
                app1Bytes += end - start;
                byte[] segment = new byte[end - start];
                System.arraycopy(file, start, segment, 0, segment.length);
                (isXmp || isExtendedXmp ? xmp : exif).add(segment);
            } catch (UnreadableImageException e) {
                incomplete.add(e.getMessage() + "; that segment not read");
            }
        }
        List<Region> boxes = new ArrayList<>();
        for (Map.Entry<Integer, List<Packet>> group : jumbf.entrySet()) {
            try {
                boxes.add(reassemble(file, group.getKey(), group.getValue()));
            } catch (UnreadableImageException e) {
                incomplete.add(e.getMessage() + "; that box not read");
            }
        }
        return new Scan(exif, xmp, boxes, incomplete);
    }

    /**
     * metadata-extractor allocates the full length an extended-XMP segment declares before
     * looking further, and copies each chunk to the offset it declares: check both here.
     */
    private static void checkExtendedXmp(byte[] file, int start, int end) throws UnreadableImageException {
        if (end - start < EXTENDED_XMP_HEADER) {
            throw new UnreadableImageException("JPEG: extended XMP segment header is cut off");
        }
        int at = start + EXTENDED_XMP_ID.length + 32;
        long fullLength = Bytes.u32(file, at);
        long offset = Bytes.u32(file, at + 4);
        int chunk = end - start - EXTENDED_XMP_HEADER;
        if (fullLength > ReadLimits.MAX_XMP_PACKET_BYTES) {
            throw new UnreadableImageException("JPEG: extended XMP declares " + fullLength
                    + " bytes, more than the " + ReadLimits.MAX_XMP_PACKET_BYTES + " allowed");
        }
        if (offset + chunk > fullLength) {
            throw new UnreadableImageException("JPEG: extended XMP chunk at offset " + offset
                    + " overruns the declared " + fullLength + " bytes");
        }
    }

    /**
     * ISO 19566-5 splits a JUMBF box over APP11 segments: each carries "JP", a box instance
     * number, a packet sequence number, and a copy of the box header; the payload continues in
     * sequence order.
     */
    private static void addPacket(byte[] file, int start, int end, Map<Integer, List<Packet>> groups)
            throws UnreadableImageException {
        if (end - start < 16) {
            throw new UnreadableImageException("JPEG: APP11 JUMBF segment at offset " + start
                    + " is too short for its header");
        }
        int instance = Bytes.u16(file, start + 2);
        long sequence = Bytes.u32(file, start + 4);
        int boxStart = start + 8;
        int headerLength = Bytes.u32(file, boxStart) == 1 ? 16 : 8;
        if (end - boxStart < headerLength) {
            throw new UnreadableImageException("JPEG: APP11 JUMBF segment at offset " + start
                    + " is too short for its box header");
        }
        groups.computeIfAbsent(instance, k -> new ArrayList<>())
                .add(new Packet(sequence, boxStart, headerLength, end));
    }

    private static Region reassemble(byte[] file, int instance, List<Packet> packets)
            throws UnreadableImageException {
        packets.sort(Comparator.comparingLong(Packet::sequence));
        long total = 0;
        for (int i = 0; i < packets.size(); i++) {
            Packet p = packets.get(i);
            if (p.sequence() != i + 1) {
                throw new UnreadableImageException("JPEG: APP11 JUMBF box " + instance
                        + " has packet " + p.sequence() + " where packet " + (i + 1)
                        + " belongs (missing or repeated segment)");
            }
            total += i == 0 ? p.end() - p.boxStart() : p.end() - p.boxStart() - p.headerLength();
        }
        if (total > ReadLimits.MAX_MANIFEST_STORE_BYTES) {
            throw new UnreadableImageException("JPEG: APP11 JUMBF box " + instance + " is larger than "
                    + ReadLimits.MAX_MANIFEST_STORE_BYTES + " bytes");
        }
        Packet first = packets.get(0);
        long declared = first.headerLength() == 16
                ? Bytes.u64(file, first.boxStart() + 8)
                : Bytes.u32(file, first.boxStart());
        // A declared length of 0 means "to the end", which is whatever the segments carry.
        if (declared != 0 && declared != total) {
            throw new UnreadableImageException("JPEG: APP11 JUMBF box " + instance + " declares "
                    + Long.toUnsignedString(declared) + " bytes but its " + packets.size()
                    + " segment(s) carry " + total);
        }
        if (packets.size() == 1) {
            return new Region(file, first.boxStart(), first.end());
        }
        byte[] box = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < packets.size(); i++) {
            Packet p = packets.get(i);
            int from = i == 0 ? p.boxStart() : p.boxStart() + p.headerLength();
            System.arraycopy(file, from, box, at, p.end() - from);
            at += p.end() - from;
        }
        return new Region(box, 0, box.length);
    }
}
