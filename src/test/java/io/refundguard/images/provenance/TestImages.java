package io.refundguard.images.provenance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Builds the files the fixtures do not cover: PNGs with chosen chunks, JPEGs with chosen
 * segments, EXIF (TIFF) blocks, XMP packets, JUMBF boxes and CBOR items. Small on purpose: each
 * piece writes exactly the bytes its format's spec gives, so a test can say what it puts where.
 */
final class TestImages {
    private TestImages() {}

    static byte[] fixture(String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/provenance/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] u32(long v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return out.toByteArray();
    }

    // ---- PNG ----

    /** A 16x16 RGB PNG (the plain synthetic fixture's IHDR and IDAT) with extra chunks before IDAT. */
    static byte[] png(byte[]... extraChunks) {
        byte[] plain = fixture("synthetic-plain.png");
        int afterIhdr = 8 + 12 + 13;
        return concat(Arrays.copyOfRange(plain, 0, afterIhdr), concat(extraChunks),
                Arrays.copyOfRange(plain, afterIhdr, plain.length));
    }

    static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = ascii(type);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return concat(u32(data.length), typeBytes, data, u32(crc.getValue()));
    }

    static byte[] tEXt(String keyword, String text) {
        return chunk("tEXt", concat(ascii(keyword), new byte[] {0}, ascii(text)));
    }

    static byte[] zTXt(String keyword, byte[] text) {
        return chunk("zTXt", concat(ascii(keyword), new byte[] {0, 0}, deflate(text)));
    }

    static byte[] iTXt(String keyword, String text, boolean compressed) {
        byte[] body = compressed ? deflate(utf8(text)) : utf8(text);
        return chunk("iTXt", concat(ascii(keyword), new byte[] {0, (byte) (compressed ? 1 : 0), 0, 0, 0}, body));
    }

    // ---- JPEG ----

    /**
     * The synthetic label JPEG with its own APP1 XMP removed and the given segments put right
     * after SOI, so the image stays a real one (JFIF, tables, scan) around the test's metadata.
     */
    static byte[] jpeg(byte[]... segments) {
        byte[] base = fixture("synthetic-tc260-xmp.jpg");
        int app1Length = ((base[4] & 0xff) << 8) | (base[5] & 0xff);
        int rest = 2 + 2 + app1Length;
        return concat(new byte[] {(byte) 0xFF, (byte) 0xD8}, concat(segments),
                Arrays.copyOfRange(base, rest, base.length));
    }

    static byte[] segment(int marker, byte[] payload) {
        return concat(new byte[] {(byte) 0xFF, (byte) marker}, u16(payload.length + 2), payload);
    }

    static byte[] xmpSegment(String xmp) {
        return segment(0xE1, concat(ascii("http://ns.adobe.com/xap/1.0/\0"), utf8(xmp)));
    }

    static byte[] exifSegment(byte[] tiff) {
        return segment(0xE1, concat(ascii("Exif\0\0"), tiff));
    }

    /** An XMP packet whose one rdf:Description has the given namespace declarations and body. */
    static String xmp(String attributes, String body) {
        return "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
                + "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF"
                + " xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
                + "<rdf:Description rdf:about=\"\" " + attributes + ">" + body
                + "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
    }

    static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }

    // ---- EXIF ----

    /** One TIFF entry: tag, type (2 ASCII, 4 LONG, 7 UNDEFINED) and value bytes. */
    record Entry(int tag, int type, byte[] value) {
        static Entry ascii(int tag, String text) {
            return new Entry(tag, 2, TestImages.concat(TestImages.utf8(text), new byte[] {0}));
        }

        static Entry undefined(int tag, byte[] value) {
            return new Entry(tag, 7, value);
        }
    }

    /**
     * A big-endian TIFF block: IFD0 with the given entries, plus an Exif IFD (pointer tag
     * 0x8769) with {@code exifEntries} when there are any. Entries must come sorted by tag.
     */
    static byte[] tiff(List<Entry> ifd0, List<Entry> exifEntries) {
        List<Entry> first = new ArrayList<>(ifd0);
        boolean withExif = !exifEntries.isEmpty();
        int ifd0Size = 2 + 12 * (first.size() + (withExif ? 1 : 0)) + 4;
        int ifd0Data = 8 + ifd0Size;
        int ifd0DataSize = dataSize(first);
        int exifIfd = ifd0Data + ifd0DataSize;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'M', 'M', 0, 42});
        out.writeBytes(u32(8));
        List<Entry> ifd0WithPointer = new ArrayList<>(first);
        if (withExif) {
            ifd0WithPointer.add(new Entry(0x8769, 4, u32(exifIfd)));
            ifd0WithPointer.sort((a, b) -> Integer.compare(a.tag(), b.tag()));
        }
        writeIfd(out, ifd0WithPointer, ifd0Data);
        if (withExif) {
            int exifSize = 2 + 12 * exifEntries.size() + 4;
            writeIfd(out, exifEntries, exifIfd + exifSize);
        }
        return out.toByteArray();
    }

    private static int dataSize(List<Entry> entries) {
        int size = 0;
        for (Entry e : entries) {
            if (e.value().length > 4) {
                size += e.value().length + (e.value().length & 1);
            }
        }
        return size;
    }

    private static void writeIfd(ByteArrayOutputStream out, List<Entry> entries, int dataOffset) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        out.writeBytes(u16(entries.size()));
        for (Entry e : entries) {
            int unit = e.type() == 4 ? 4 : 1;
            out.writeBytes(u16(e.tag()));
            out.writeBytes(u16(e.type()));
            out.writeBytes(u32(e.value().length / unit));
            if (e.value().length <= 4) {
                out.writeBytes(Arrays.copyOf(e.value(), 4));
            } else {
                out.writeBytes(u32(dataOffset + data.size()));
                data.writeBytes(e.value());
                if ((e.value().length & 1) != 0) {
                    data.write(0);
                }
            }
        }
        out.writeBytes(u32(0));
        out.writeBytes(data.toByteArray());
    }

    // ---- JUMBF and CBOR ----

    private static final byte[] ISO_UUID_SUFFIX = {0x00, 0x11, 0x00, 0x10, (byte) 0x80, 0x00, 0x00,
        (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    static byte[] box(String type, byte[] payload) {
        return concat(u32(8 + payload.length), ascii(type), payload);
    }

    /** A superbox with a labelled description of the given type code, then its children. */
    static byte[] superbox(String typeCode, String label, byte[]... children) {
        byte[] description = box("jumd", concat(ascii(typeCode), ISO_UUID_SUFFIX, new byte[] {3},
                utf8(label), new byte[] {0}));
        return box("jumb", concat(description, concat(children)));
    }

    static byte[] cborAssertion(String label, Object value) {
        return superbox("cbor", label, box("cbor", cbor(value)));
    }

    /** CBOR for maps (String keys), lists, strings, longs and booleans; enough for C2PA tests. */
    static byte[] cbor(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeCbor(out, value);
        return out.toByteArray();
    }

    private static void writeCbor(ByteArrayOutputStream out, Object value) {
        if (value instanceof String s) {
            byte[] b = utf8(s);
            head(out, 3, b.length);
            out.writeBytes(b);
        } else if (value instanceof Long n) {
            head(out, 0, n);
        } else if (value instanceof Boolean b) {
            out.write(b ? 0xF5 : 0xF4);
        } else if (value instanceof byte[] b) {
            head(out, 2, b.length);
            out.writeBytes(b);
        } else if (value instanceof List<?> list) {
            head(out, 4, list.size());
            list.forEach(v -> writeCbor(out, v));
        } else if (value instanceof Map<?, ?> map) {
            head(out, 5, map.size());
            map.forEach((k, v) -> {
                writeCbor(out, k);
                writeCbor(out, v);
            });
        } else {
            throw new IllegalArgumentException("cannot encode " + value);
        }
    }

    private static void head(ByteArrayOutputStream out, int major, long n) {
        if (n < 24) {
            out.write(major << 5 | (int) n);
        } else if (n < 256) {
            out.write(major << 5 | 24);
            out.write((int) n);
        } else if (n < 65536) {
            out.write(major << 5 | 25);
            out.writeBytes(u16((int) n));
        } else {
            out.write(major << 5 | 26);
            out.writeBytes(u32(n));
        }
    }
}
