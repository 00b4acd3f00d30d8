package io.refundguard.images.provenance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JUMBF (ISO/IEC 19566-5) superbox parsing, as far as C2PA needs it: the tree of superboxes with
 * their description (type UUID and label) and the byte ranges of their content boxes. No library
 * reads JUMBF, so this is ours; it never copies content, only records where it lies.
 */
final class Jumbf {
    static final String SUPERBOX = "jumb";
    static final String DESCRIPTION = "jumd";

    /** Description toggle bits (ISO 19566-5 table B.3). */
    private static final int TOGGLE_LABEL = 0x02;

    /**
     * A superbox. {@code type} is the first four bytes of its description's type UUID, which for
     * every C2PA box is a four-character code ({@code c2pa}, {@code c2ma}, {@code cbor}, ...)
     * followed by the fixed ISO suffix.
     */
    record Superbox(String type, String label, List<Superbox> superboxes, List<Content> contents) {
        Superbox child(String childLabel) {
            for (Superbox box : superboxes) {
                if (childLabel.equals(box.label())) {
                    return box;
                }
            }
            return null;
        }

        Content firstContent(String boxType) {
            for (Content content : contents) {
                if (content.type().equals(boxType)) {
                    return content;
                }
            }
            return null;
        }
    }

    /** A content box: its four-character type and where its payload lies in the buffer. */
    record Content(String type, int start, int end) {}

    private final byte[] buf;
    /** Where the store starts; offsets in messages are relative to it, wherever it lies. */
    private final int base;
    private int boxes;

    private Jumbf(byte[] buf, int base) {
        this.buf = buf;
        this.base = base;
    }

    /**
     * Parses the superbox that fills {@code buf[start, end)} exactly.
     *
     * @throws UnreadableImageException if any box is malformed, overruns its parent, or the tree is
     *     deeper or larger than {@link ReadLimits} allows
     */
    static Superbox parse(byte[] buf, int start, int end) throws UnreadableImageException {
        Jumbf jumbf = new Jumbf(buf, start);
        BoxHeader header = jumbf.header(start, end);
        if (!header.type.equals(SUPERBOX)) {
            throw error("box at the top is '" + Text.printable(header.type) + "', not a JUMBF superbox");
        }
        if (header.end != end) {
            throw error("superbox declares " + (header.end - start) + " bytes but "
                    + (end - start) + " are there");
        }
        return jumbf.superbox(header.payload, header.end, 1);
    }

    /**
     * The type code of the superbox at {@code buf[start, end)} without parsing the rest; used to
     * pick the C2PA store among other JUMBF boxes. Returns null if there is no description.
     */
    static String peekType(byte[] buf, int start, int end) throws UnreadableImageException {
        Jumbf jumbf = new Jumbf(buf, start);
        BoxHeader outer = jumbf.header(start, end);
        if (!outer.type.equals(SUPERBOX) || outer.payload >= outer.end) {
            return null;
        }
        BoxHeader description = jumbf.header(outer.payload, outer.end);
        if (!description.type.equals(DESCRIPTION) || description.end - description.payload < 17) {
            return null;
        }
        return new String(buf, description.payload, 4, StandardCharsets.ISO_8859_1);
    }

    private Superbox superbox(int start, int end, int depth) throws UnreadableImageException {
        if (depth > ReadLimits.MAX_JUMBF_DEPTH) {
            throw error("superboxes nested deeper than " + ReadLimits.MAX_JUMBF_DEPTH);
        }
        if (start >= end) {
            throw error("superbox has no description box");
        }
        BoxHeader description = header(start, end);
        if (!description.type.equals(DESCRIPTION)) {
            throw error("superbox starts with '" + Text.printable(description.type)
                    + "' instead of a description box");
        }
        int p = description.payload;
        if (description.end - p < 17) {
            throw error("description box is shorter than its type UUID and toggles");
        }
        String type = new String(buf, p, 4, StandardCharsets.ISO_8859_1);
        int toggles = buf[p + 16] & 0xff;
        String label = null;
        if ((toggles & TOGGLE_LABEL) != 0) {
            int labelStart = p + 17;
            int nul = labelStart;
            while (nul < description.end && buf[nul] != 0) {
                nul++;
            }
            if (nul == description.end) {
                throw error("description label is not NUL-terminated");
            }
            label = new String(buf, labelStart, nul - labelStart, StandardCharsets.UTF_8);
        }
        List<Superbox> children = new ArrayList<>();
        List<Content> contents = new ArrayList<>();
        for (int at = description.end; at < end; ) {
            BoxHeader box = header(at, end);
            if (box.type.equals(SUPERBOX)) {
                children.add(superbox(box.payload, box.end, depth + 1));
            } else {
                contents.add(new Content(box.type, box.payload, box.end));
            }
            at = box.end;
        }
        return new Superbox(type, label, List.copyOf(children), List.copyOf(contents));
    }

    private record BoxHeader(String type, int payload, int end) {}

    /** Reads the box header at {@code at}, checking the box fits inside {@code [at, limit)}. */
    private BoxHeader header(int at, int limit) throws UnreadableImageException {
        if (++boxes > ReadLimits.MAX_JUMBF_BOXES) {
            throw error("more than " + ReadLimits.MAX_JUMBF_BOXES + " boxes");
        }
        if (limit - at < 8) {
            throw error("box header at store byte " + (at - base) + " is cut off");
        }
        long length = Bytes.u32(buf, at);
        String type = new String(buf, at + 4, 4, StandardCharsets.ISO_8859_1);
        int payload = at + 8;
        if (length == 1) {
            if (limit - at < 16) {
                throw error("extended box header at store byte " + (at - base) + " is cut off");
            }
            length = Bytes.u64(buf, at + 8);
            payload = at + 16;
        } else if (length == 0) {
            // ISO BMFF convention: the box runs to the end of its container.
            length = limit - at;
        }
        if (length < payload - at || length > limit - at) {
            throw error("box '" + Text.printable(type) + "' at store byte " + (at - base) + " declares "
                    + Long.toUnsignedString(length) + " bytes but its container leaves "
                    + (limit - at));
        }
        return new BoxHeader(type, payload, at + (int) length);
    }

    private static UnreadableImageException error(String problem) {
        return new UnreadableImageException("C2PA manifest store: JUMBF " + problem);
    }
}
