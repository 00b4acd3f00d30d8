package io.refundguard.images.provenance;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal CBOR (RFC 8949) decoder for the C2PA claim and assertion boxes.
 *
 * <p>Why decode rather than scan the bytes for {@code digitalsourcetype/}: CBOR strings carry a
 * length prefix and no terminator, so a byte scan cannot tell where a URI ends without decoding
 * its header anyway, and the claim generator is a value under a map key, which only a decoder
 * finds reliably. The subset C2PA uses (maps, arrays, text, byte strings, tags, simple values) is
 * small enough to decode in one bounded pass.
 *
 * <p>Values come back as {@code Map<Object,Object>}, {@code List<Object>}, {@code String},
 * {@code Long}, {@code Double}, {@code Boolean}, {@code null}, or {@link #BYTES} for a byte string
 * (its content is never needed, so it is skipped, not copied). Tags are dropped in favour of the
 * tagged value. Every length is checked against the bytes left before it is used, nesting is
 * bounded by depth and the whole decode by a count of data items, so hostile input fails fast
 * with an {@link UnreadableImageException}.
 */
final class Cbor {
    /** Placeholder for a byte string's value. */
    static final Object BYTES = new Object() {
        @Override
        public String toString() {
            return "<bytes>";
        }
    };

    private static final Object BREAK = new Object();

    private final byte[] buf;
    private final int end;
    private final String what;
    private int pos;
    private int items;

    private Cbor(byte[] buf, int start, int end, String what) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.what = what;
    }

    /** Decodes the one data item in {@code buf[start, end)}; {@code what} names it in errors. */
    static Object decode(byte[] buf, int start, int end, String what) throws UnreadableImageException {
        Cbor cbor = new Cbor(buf, start, end, what);
        Object value = cbor.item(0);
        if (value == BREAK) {
            throw cbor.error("stray break byte");
        }
        return value;
    }

    private Object item(int depth) throws UnreadableImageException {
        if (depth > ReadLimits.MAX_CBOR_DEPTH) {
            throw error("nested deeper than " + ReadLimits.MAX_CBOR_DEPTH);
        }
        if (++items > ReadLimits.MAX_CBOR_ITEMS) {
            throw error("more than " + ReadLimits.MAX_CBOR_ITEMS + " data items");
        }
        int initial = u8();
        int major = initial >>> 5;
        int info = initial & 0x1f;
        if (major == 7) {
            return simple(info);
        }
        if (info == 31) {
            return indefinite(major, depth);
        }
        long arg = argument(info);
        switch (major) {
            case 0:
                return arg;
            case 1:
                // -1 - arg; values past Long range only occur in hostile input and are not used.
                return -1 - arg;
            case 2:
                skip(arg);
                return BYTES;
            case 3:
                return text(arg);
            case 4: {
                requireCount(arg);
                List<Object> list = new ArrayList<>();
                for (long i = 0; i < arg; i++) {
                    list.add(nonBreak(depth));
                }
                return list;
            }
            case 5: {
                requireCount(arg);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (long i = 0; i < arg; i++) {
                    Object key = nonBreak(depth);
                    map.put(key, nonBreak(depth));
                }
                return map;
            }
            default: // 6: a tag; what it says about the value does not matter here
                return nonBreak(depth);
        }
    }

    private Object indefinite(int major, int depth) throws UnreadableImageException {
        switch (major) {
            case 2:
            case 3: {
                StringBuilder text = major == 3 ? new StringBuilder() : null;
                while (true) {
                    int initial = u8();
                    if (initial == 0xff) {
                        return text == null ? BYTES : text.toString();
                    }
                    if (initial >>> 5 != major || (initial & 0x1f) == 31) {
                        throw error("indefinite string holds a chunk of another type");
                    }
                    long length = argument(initial & 0x1f);
                    if (text == null) {
                        skip(length);
                    } else {
                        text.append(text(length));
                    }
                }
            }
            case 4: {
                List<Object> list = new ArrayList<>();
                for (Object v = item(depth + 1); v != BREAK; v = item(depth + 1)) {
                    list.add(v);
                }
                return list;
            }
            case 5: {
                Map<Object, Object> map = new LinkedHashMap<>();
                for (Object k = item(depth + 1); k != BREAK; k = item(depth + 1)) {
                    map.put(k, nonBreak(depth));
                }
                return map;
            }
            default:
                throw error("indefinite length on major type " + major);
        }
    }

    private Object nonBreak(int depth) throws UnreadableImageException {
        Object value = item(depth + 1);
        if (value == BREAK) {
            throw error("break byte inside a definite-length item");
        }
        return value;
    }

    private Object simple(int info) throws UnreadableImageException {
        switch (info) {
            case 20:
                return Boolean.FALSE;
            case 21:
                return Boolean.TRUE;
            case 22:
            case 23:
                return null;
            case 24:
                u8();
                return null;
            case 25:
                return halfFloat((int) bigEndian(2));
            case 26:
                return (double) Float.intBitsToFloat((int) bigEndian(4));
            case 27:
                return Double.longBitsToDouble(bigEndian(8));
            case 31:
                return BREAK;
            default:
                if (info < 20) {
                    return null;
                }
                throw error("reserved simple value " + info);
        }
    }

    private static double halfFloat(int bits) {
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        double magnitude = exponent == 0
                ? Math.scalb((double) mantissa, -24)
                : exponent == 31
                        ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                        : Math.scalb((double) (mantissa + 1024), exponent - 25);
        return (bits & 0x8000) != 0 ? -magnitude : magnitude;
    }

    private long argument(int info) throws UnreadableImageException {
        if (info < 24) {
            return info;
        }
        switch (info) {
            case 24:
                return u8();
            case 25:
                return bigEndian(2);
            case 26:
                return bigEndian(4);
            case 27:
                return bigEndian(8);
            default:
                throw error("reserved additional information " + info);
        }
    }

    private String text(long length) throws UnreadableImageException {
        requireBytes(length);
        String s = new String(buf, pos, (int) length, StandardCharsets.UTF_8);
        pos += (int) length;
        return s;
    }

    private void skip(long length) throws UnreadableImageException {
        requireBytes(length);
        pos += (int) length;
    }

    /** Every item takes at least one byte, so a count above the bytes left is a lie. */
    private void requireCount(long count) throws UnreadableImageException {
        if (count < 0 || count > end - pos) {
            throw error("declares " + Long.toUnsignedString(count) + " items but only "
                    + (end - pos) + " bytes are left");
        }
    }

    private void requireBytes(long length) throws UnreadableImageException {
        if (length < 0 || length > end - pos) {
            throw error("declares a " + Long.toUnsignedString(length) + "-byte string but only "
                    + (end - pos) + " bytes are left");
        }
    }

    private long bigEndian(int n) throws UnreadableImageException {
        requireBytes(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        return v;
    }

    private int u8() throws UnreadableImageException {
        if (pos >= end) {
            throw error("ends in the middle of an item");
        }
        return buf[pos++] & 0xff;
    }

    private UnreadableImageException error(String problem) {
        return new UnreadableImageException("C2PA " + what + ": CBOR " + problem);
    }
}
