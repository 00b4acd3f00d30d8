package io.refundguard.images.provenance;

import static io.refundguard.images.provenance.TestImages.ascii;
import static io.refundguard.images.provenance.TestImages.concat;
import static io.refundguard.images.provenance.TestImages.exifSegment;
import static io.refundguard.images.provenance.TestImages.fixture;
import static io.refundguard.images.provenance.TestImages.jpeg;
import static io.refundguard.images.provenance.TestImages.png;
import static io.refundguard.images.provenance.TestImages.segment;
import static io.refundguard.images.provenance.TestImages.tEXt;
import static io.refundguard.images.provenance.TestImages.tiff;
import static io.refundguard.images.provenance.TestImages.xmp;
import static io.refundguard.images.provenance.TestImages.xmpSegment;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.Provenance;
import io.refundguard.images.provenance.TestImages.Entry;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * XMP, EXIF, PNG text and C2PA are read apart: a malformed part, or a read limit that trips,
 * costs that part only and is named in {@code incomplete}. Placed before the real metadata, one
 * bad segment or thousands of junk chunks used to empty the whole reading while the file's hash
 * still matched.
 */
class ProvenancePartsTest {
    private static final String GENERATIVE_FILL =
            "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

    private static Provenance read(byte[] file) throws UnreadableImageException {
        return new ProvenanceReader().read(file);
    }

    /** {@code segments} placed right after the JPEG's SOI, before everything the file had. */
    private static byte[] afterSoi(byte[] jpeg, byte[]... segments) {
        return concat(Arrays.copyOf(jpeg, 2), concat(segments), Arrays.copyOfRange(jpeg, 2, jpeg.length));
    }

    /** An APP11 JUMBF packet too short for its own header. */
    private static byte[] shortApp11() {
        return segment(0xEB, ascii("JP\0\1"));
    }

    /** An APP11 JUMBF packet whose box declares more bytes than its segments carry. */
    private static byte[] lyingApp11() {
        byte[] payload = concat(ascii("JP"), new byte[] {0, 99, 0, 0, 0, 1}, TestImages.u32(5000), ascii("jumb"),
                new byte[16]);
        return segment(0xEB, payload);
    }

    @Test
    void aMalformedApp11SegmentBeforeTheManifestHidesNeitherTheManifestNorTheLabel() throws Exception {
        Provenance manifest = read(afterSoi(fixture("ocsp.jpg"), shortApp11(), lyingApp11()));
        Provenance label = read(afterSoi(fixture("synthetic-tc260-xmp.jpg"), shortApp11()));

        assertThat(manifest.c2pa().present()).isTrue();
        assertThat(manifest.c2pa().digitalSourceTypes()).contains(GENERATIVE_FILL);
        assertThat(manifest.incomplete()).hasSize(2).allSatisfy(entry -> assertThat(entry).contains("APP11"));
        assertThat(label.aigc().label()).isEqualTo("1");
        assertThat(label.incomplete()).singleElement().asString().contains("APP11 JUMBF segment");
    }

    @Test
    void fiveThousandJunkTextChunksBeforeTheLabelHideNothing() throws Exception {
        byte[][] junk = new byte[5000][];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = tEXt("Comment", "junk " + i);
        }
        byte[] withText = png(concat(concat(junk), tEXt("AIGC", "{\"Label\":\"1\",\"ContentProducer\":\"p1\"}")));
        byte[] xmpFixture = fixture("synthetic-tc260-xmp-itxt.png");
        int afterIhdr = 8 + 12 + 13;
        byte[] withXmp = concat(Arrays.copyOf(xmpFixture, afterIhdr), concat(junk),
                Arrays.copyOfRange(xmpFixture, afterIhdr, xmpFixture.length));

        assertThat(read(withText).aigc().label()).isEqualTo("1");
        assertThat(read(withText).aigc().contentProducer()).isEqualTo("p1");
        assertThat(read(withXmp).aigc().label()).isEqualTo("1");
        assertThat(read(withXmp).incomplete()).isNull();
    }

    @Test
    void aReadLimitThatTripsIsNamedAndTheOtherPartsAreStillRead() throws Exception {
        String crowded = xmp("xmlns:e=\"http://example.com/e/\"",
                "<e:p>" + "<e:q/>".repeat(ReadLimits.MAX_XMP_MARKUP + 1) + "</e:p>");
        byte[] exif = exifSegment(tiff(List.of(Entry.ascii(0x0131, "DALL-E 3")), List.of()));

        Provenance p = read(jpeg(xmpSegment(crowded), exif));

        assertThat(p.software()).isEqualTo("DALL-E 3");
        assertThat(p.incomplete()).singleElement().asString()
                .startsWith("read limit: XMP has more than " + ReadLimits.MAX_XMP_MARKUP);
    }

    @Test
    void malformedXmpCostsTheXmpOnly() throws Exception {
        byte[] broken = xmpSegment("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF>not closed");
        byte[] exif = exifSegment(tiff(List.of(Entry.ascii(0x010F, "Ideogram AI")), List.of()));

        Provenance p = read(jpeg(broken, exif));

        assertThat(p.cameraMake()).isEqualTo("Ideogram AI");
        assertThat(p.incomplete()).singleElement().asString().startsWith("XMP");
    }

    @Test
    void aLabelThatIsNotJsonIsNamedWhileTheManifestIsStillRead() throws Exception {
        String badLabel = xmp("xmlns:TC260=\"http://www.tc260.org.cn/ns/AIGC/1.0/\"", "<TC260:AIGC>{not json</TC260:AIGC>");

        Provenance p = read(afterSoi(fixture("ocsp.jpg"), xmpSegment(badLabel)));

        assertThat(p.aigc()).isNull();
        assertThat(p.c2pa().digitalSourceTypes()).contains(GENERATIVE_FILL);
        assertThat(p.incomplete()).singleElement().asString().contains("GB 45438 label in XMP TC260:AIGC is not valid JSON");
    }

    @Test
    void aCompleteReadingSaysNothingIsMissing() throws Exception {
        assertThat(read(fixture("ocsp.jpg")).incomplete()).isNull();
        assertThat(read(fixture("synthetic-tc260-xmp.jpg")).incomplete()).isNull();
    }
}
