package io.refundguard.images.provenance;

import static io.refundguard.images.provenance.ProvenanceReaderTest.assertUnreadable;
import static io.refundguard.images.provenance.TestImages.ascii;
import static io.refundguard.images.provenance.TestImages.box;
import static io.refundguard.images.provenance.TestImages.chunk;
import static io.refundguard.images.provenance.TestImages.concat;
import static io.refundguard.images.provenance.TestImages.fixture;
import static io.refundguard.images.provenance.TestImages.jpeg;
import static io.refundguard.images.provenance.TestImages.png;
import static io.refundguard.images.provenance.TestImages.segment;
import static io.refundguard.images.provenance.TestImages.superbox;
import static io.refundguard.images.provenance.TestImages.u32;
import static io.refundguard.images.provenance.TestImages.xmp;
import static io.refundguard.images.provenance.TestImages.xmpSegment;
import static io.refundguard.images.provenance.TestImages.zTXt;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per kind of hostile file: each must end in a clear error, never a hang or an OOM. */
class ProvenanceHostileInputTest {
    @Test
    void emptyAndForeignFiles() {
        assertUnreadable(new byte[0], "not a JPEG or PNG file (starts with nothing");
        assertUnreadable(ascii("GIF89a..."), "not a JPEG or PNG file (starts with 474946383961");
    }

    @Test
    void fileOverTheSizeBound() {
        byte[] file = Arrays.copyOf(fixture("C.jpg"), ReadLimits.MAX_FILE_BYTES + 1);

        assertUnreadable(file, "more than the " + ReadLimits.MAX_FILE_BYTES + " allowed");
    }

    @Test
    void jpegCutInsideASegment() {
        byte[] file = fixture("C.jpg");

        assertUnreadable(Arrays.copyOf(file, 3000), "declares 45882 bytes but the file has");
    }

    @Test
    void jpegWithGarbageWhereAMarkerBelongs() {
        byte[] file = concat(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 4, 0, 0},
                ascii("garbage"));

        assertUnreadable(file, "expected a marker at offset 8");
    }

    @Test
    void pngChunkDeclaringFourGigabytes() {
        byte[] file = png(concat(u32(0xFFFFFFF0L), ascii("tEXt"), ascii("AIGC\0{}")));

        assertUnreadable(file, "chunk 'tEXt' at offset 33 declares 4294967280 bytes");
    }

    @Test
    void compressedTextChunkThatInflatesPastTheBound() {
        // About 2 KB on disk, 2 MiB inflated: the shape of a zip bomb.
        byte[] file = png(zTXt("AIGC", new byte[2 << 20]));

        assertThat(file.length).isLessThan(10_000);
        assertUnreadable(file, "zTXt chunk 'AIGC' inflates past " + ReadLimits.MAX_TEXT_CHUNK_BYTES);
    }

    @Test
    void manyCompressedTextChunksThatTogetherInflatePastTheBound() {
        // Keywords the reader uses: text under any other keyword is skipped without inflating it.
        String[] keywords = {"AIGC", "parameters", "prompt", "workflow", "invokeai_metadata", "sd-metadata", "Dream",
            "Software"};
        byte[][] chunks = new byte[keywords.length][];
        for (int i = 0; i < keywords.length; i++) {
            chunks[i] = zTXt(keywords[i], new byte[ReadLimits.MAX_TEXT_CHUNK_BYTES - 1000]);
        }

        assertUnreadable(png(chunks), "compressed text chunks inflate past");
    }

    @Test
    void tinySegmentsPastTheCountBoundAreRefusedBeforeTheyCostMemory() {
        byte[][] tinyApp1 = new byte[ReadLimits.MAX_METADATA_SEGMENTS + 1][];
        Arrays.fill(tinyApp1, segment(0xE1, ascii("x")));
        byte[][] tinyText = new byte[ReadLimits.MAX_METADATA_SEGMENTS + 1][];
        Arrays.fill(tinyText, TestImages.tEXt("k", ""));

        assertUnreadable(jpeg(tinyApp1), "more than " + ReadLimits.MAX_METADATA_SEGMENTS + " APP1/APP11 segments");
        // Text chunks under keywords the reader does not use are skipped unread: no cost, no limit.
        assertThat(readQuietly(png(tinyText)).incomplete()).isNull();
    }

    private static io.refundguard.events.Provenance readQuietly(byte[] file) {
        try {
            return new ProvenanceReader().read(file);
        } catch (UnreadableImageException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void truncatedCompressedText() {
        byte[] whole = zTXt("AIGC", ascii("{\"Label\":\"1\"} and a long enough tail to compress"));
        byte[] data = Arrays.copyOfRange(whole, 8, whole.length - 4 - 6);

        assertUnreadable(png(chunk("zTXt", data)), "truncated compressed text");
    }

    @Test
    void extendedXmpDeclaringAHugeFullLength() {
        String guid = "0123456789ABCDEF0123456789ABCDEF";
        byte[] main = xmpSegment(xmp("xmlns:xmpNote=\"http://ns.adobe.com/xmp/note/\"",
                "<xmpNote:HasExtendedXMP>" + guid + "</xmpNote:HasExtendedXMP>"));
        byte[] extended = segment(0xE1, concat(ascii("http://ns.adobe.com/xmp/extension/\0"), ascii(guid),
                u32(0x7FFFFFF0L), u32(0), ascii("<x:xmpmeta/>")));

        assertUnreadable(jpeg(main, extended), "extended XMP declares 2147483632 bytes");
    }

    @Test
    void xmpWithAnEntityExpansionBomb() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
                + "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
                + "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
                + "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
                + "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
                + "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
                + "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>"
                + xmp("xmlns:TC260=\"http://www.tc260.org.cn/ns/AIGC/1.0/\"", "<TC260:AIGC>&lol9;</TC260:AIGC>");

        assertUnreadable(jpeg(xmpSegment(bomb)), "XMP:");
    }

    @Test
    void xmpWithTensOfThousandsOfSiblingProperties() {
        // Compressed, this is 60 KB; xmpcore would spend minutes on its 48,000 siblings.
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 48_000; i++) {
            body.append("<e:p").append(i).append(">v</e:p").append(i).append('>');
        }
        String packet = xmp("xmlns:e=\"http://example.com/e/\"", body.toString());

        assertUnreadable(png(TestImages.iTXt("XML:com.adobe.xmp", packet, true)),
                "XMP has more than " + ReadLimits.MAX_XMP_MARKUP + " elements and attributes");
    }

    @Test
    void xmpMarkupIsCountedAcrossPackets() throws Exception {
        // Each packet alone is under the bound; the file's XMP together is not.
        String half = xmp("xmlns:e=\"http://example.com/e/\"",
                "<e:bag><rdf:Bag>" + "<rdf:li/>".repeat(ReadLimits.MAX_XMP_MARKUP / 2) + "</rdf:Bag></e:bag>");

        assertThat(new ProvenanceReader().read(jpeg(xmpSegment(half))).c2pa().present()).isFalse();
        assertUnreadable(jpeg(xmpSegment(half), xmpSegment(half)), "XMP has more than");
    }

    @Test
    void jumbfNestedThousandsDeep() {
        byte[] box = superbox("c2ma", "leaf");
        for (int i = 0; i < 5000; i++) {
            box = superbox("c2ma", "m", box);
        }

        assertUnreadable(png(chunk("caBX", superbox("c2pa", "c2pa", box))), "nested deeper than");
    }

    @Test
    void jumbfBoxLongerThanItsParent() {
        byte[] liar = concat(u32(1_000_000), ascii("cbor"), new byte[] {0});

        assertUnreadable(png(chunk("caBX", superbox("c2pa", "c2pa", liar))),
                "box 'cbor' at store byte 38 declares 1000000 bytes but its container leaves 9");
    }

    @Test
    void jumbfBoxWithAHugeExtendedLength() {
        byte[] liar = concat(u32(1), ascii("cbor"), new byte[] {(byte) 0xFF, -1, -1, -1, -1, -1, -1, -1});

        assertUnreadable(png(chunk("caBX", superbox("c2pa", "c2pa", liar))), "declares 18446744073709551615 bytes");
    }

    @Test
    void cborNestedThousandsDeep() {
        byte[] deep = new byte[100_000];
        Arrays.fill(deep, (byte) 0x81); // an array of one array of one array ...

        assertUnreadable(manifestWithActions(deep), "c2pa.actions: CBOR nested deeper than");
    }

    @Test
    void cborStringDeclaringExabytes() {
        byte[] liar = {(byte) 0x7B, 0x0F, -1, -1, -1, -1, -1, -1, -1, 'x'};

        assertUnreadable(manifestWithActions(liar), "declares a 1152921504606846975-byte string");
    }

    @Test
    void cborMapDeclaringBillionsOfEntries() {
        byte[] liar = {(byte) 0xBA, 0x7F, -1, -1, -1, 0x61, 'a'};

        assertUnreadable(manifestWithActions(liar), "declares 2147483647 items but only 2 bytes are left");
    }

    @Test
    void cborIndefiniteArrayWithoutBreak() {
        byte[] open = {(byte) 0x9F, 0x01, 0x02, 0x03};

        assertUnreadable(manifestWithActions(open), "ends in the middle of an item");
    }

    @Test
    void manifestStoreWithoutManifests() {
        byte[] store = superbox("c2pa", "c2pa", superbox("c2as", "c2pa.assertions"));

        assertUnreadable(png(chunk("caBX", store)), "holds no manifest");
    }

    @Test
    void app11JumbfDeclaringMoreThanItsSegmentsCarry() {
        byte[] store = superbox("c2pa", "c2pa", superbox("c2ma", "m"));
        byte[] header = concat(ascii("JP"), new byte[] {0, 1}, u32(1));
        byte[] lying = Arrays.copyOf(store, store.length);
        System.arraycopy(u32(store.length + 500), 0, lying, 0, 4);

        assertUnreadable(jpeg(segment(0xEB, concat(header, lying))), "declares " + (store.length + 500) + " bytes");
    }

    @Test
    void cborThatIsFineStillReadsNextToTheLimits() throws Exception {
        // Control: the same builder with a sane assertion reads, so the failures above are about
        // the hostile bytes and not about the builder.
        byte[] ok = TestImages.cbor(Map.of("actions", java.util.List.of(Map.of("action", "c2pa.created"))));

        assertThat(new ProvenanceReader().read(manifestWithActions(ok)).c2pa().present()).isTrue();
    }

    private static byte[] manifestWithActions(byte[] cbor) {
        byte[] store = superbox("c2pa", "c2pa", superbox("c2ma", "urn:c2pa:1",
                superbox("c2as", "c2pa.assertions", superbox("cbor", "c2pa.actions", box("cbor", cbor)))));
        return png(chunk("caBX", store));
    }
}
