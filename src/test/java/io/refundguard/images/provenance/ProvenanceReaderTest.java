package io.refundguard.images.provenance;

import static io.refundguard.images.provenance.TestImages.ascii;
import static io.refundguard.images.provenance.TestImages.concat;
import static io.refundguard.images.provenance.TestImages.exifSegment;
import static io.refundguard.images.provenance.TestImages.fixture;
import static io.refundguard.images.provenance.TestImages.iTXt;
import static io.refundguard.images.provenance.TestImages.jpeg;
import static io.refundguard.images.provenance.TestImages.png;
import static io.refundguard.images.provenance.TestImages.tEXt;
import static io.refundguard.images.provenance.TestImages.tiff;
import static io.refundguard.images.provenance.TestImages.utf8;
import static io.refundguard.images.provenance.TestImages.xmlEscape;
import static io.refundguard.images.provenance.TestImages.xmp;
import static io.refundguard.images.provenance.TestImages.xmpSegment;
import static io.refundguard.images.provenance.TestImages.zTXt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.events.AigcLabel;
import io.refundguard.events.C2paInfo;
import io.refundguard.events.Provenance;
import io.refundguard.images.provenance.TestImages.Entry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProvenanceReaderTest {
    private static final String IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/";
    private static final String TC260_NS = "xmlns:TC260=\"http://www.tc260.org.cn/ns/AIGC/1.0/\"";
    private static final String LABEL_JSON = "{\"Label\":\"2\",\"ContentProducer\":\"0011PROD\","
            + "\"ProduceID\":\"p-42\",\"ReservedCode1\":\"\",\"ContentPropagator\":\"0011PROP\","
            + "\"PropagateID\":\"q-7\",\"ReservedCode2\":\"\"}";
    private static final AigcLabel LABEL = new AigcLabel("2", "0011PROD", "p-42", "0011PROP", "q-7");

    private final ProvenanceReader reader = new ProvenanceReader();

    private Provenance read(byte[] file) throws UnreadableImageException {
        return reader.read(file);
    }

    @Nested
    class C2paFixtures {
        @Test
        void ocspReadsTheGenerativeEditAndTheFireflyIngredientAcrossFiveApp11Segments() throws Exception {
            C2paInfo c2pa = read(fixture("ocsp.jpg")).c2pa();

            assertThat(c2pa.present()).isTrue();
            assertThat(c2pa.stripped()).isFalse();
            // The active (Photoshop) manifest's type first, then its Firefly ingredient's.
            assertThat(c2pa.digitalSourceTypes()).containsExactly(
                    IPTC + "compositeWithTrainedAlgorithmicMedia", IPTC + "trainedAlgorithmicMedia");
            assertThat(c2pa.claimGenerator()).startsWith("Adobe_Photoshop/26.9.0");
        }

        @Test
        void cReadsAlgorithmicMediaOnly() throws Exception {
            C2paInfo c2pa = read(fixture("C.jpg")).c2pa();

            assertThat(c2pa.present()).isTrue();
            assertThat(c2pa.digitalSourceTypes()).containsExactly(IPTC + "algorithmicMedia");
            assertThat(c2pa.claimGenerator()).isEqualTo("make_test_images/0.33.1 c2pa-rs/0.33.1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"CA.jpg", "XCA.jpg"})
        void manifestWithAnIngredientButNoSourceTypeIsPresentWithoutTypes(String name) throws Exception {
            // XCA's image bytes changed after signing; without signature validation it reads as CA.
            C2paInfo c2pa = read(fixture(name)).c2pa();

            assertThat(c2pa.present()).isTrue();
            assertThat(c2pa.digitalSourceTypes()).isEmpty();
            assertThat(c2pa.claimGenerator()).isEqualTo("make_test_images/0.33.1 c2pa-rs/0.33.1");
        }

        @Test
        void noManifestIsStripped() throws Exception {
            C2paInfo c2pa = read(fixture("no_manifest.jpg")).c2pa();

            assertThat(c2pa.present()).isFalse();
            assertThat(c2pa.stripped()).isTrue();
            assertThat(c2pa.remoteManifest()).isNull();
        }

        @Test
        void ocspWithOneApp11SegmentRemovedSaysItsManifestWasNotRead() {
            byte[] file = fixture("ocsp.jpg");
            int second = indexOf(file, new byte[] {(byte) 0xFF, (byte) 0xEB}, 0);
            second = indexOf(file, new byte[] {(byte) 0xFF, (byte) 0xEB}, second + 2);
            int length = ((file[second + 2] & 0xff) << 8) | (file[second + 3] & 0xff);
            byte[] cut = concat(Arrays.copyOfRange(file, 0, second),
                    Arrays.copyOfRange(file, second + 2 + length, file.length));

            assertUnreadable(cut, "APP11 JUMBF box");
        }
    }

    @Nested
    class NothingToSay {
        @ParameterizedTest
        @ValueSource(strings = {"IMG_0003.jpg", "libpng-test.png", "synthetic-plain.png"})
        void filesWithoutMarksReadAsNoProvenance(String name) throws Exception {
            Provenance p = read(fixture(name));

            assertThat(p.aigc()).isNull();
            assertThat(p.c2pa()).isEqualTo(new C2paInfo(false, List.of(), null, false, null));
            assertThat(p.iptcDigitalSourceType()).isNull();
            assertThat(p.generatorParameters()).isFalse();
        }

        @Test
        void aCameraPhotoStillReportsItsCameraAndCaptureTime() throws Exception {
            Provenance p = read(fixture("IMG_0003.jpg"));

            assertThat(p.cameraMake()).isEqualTo("Canon");
            assertThat(p.cameraModel()).isEqualTo("Canon EOS REBEL T3");
            assertThat(p.capturedAt()).isEqualTo("2011-07-30T15:41:25");
            assertThat(p.software()).startsWith("Adobe Lightroom");
        }
    }

    @Nested
    class Gb45438Label {
        @ParameterizedTest
        @ValueSource(strings = {"synthetic-tc260-xmp.jpg", "synthetic-tc260-xmp-itxt.png"})
        void xmpElementFormInJpegApp1AndPngItxt(String name) throws Exception {
            assertThat(read(fixture(name)).aigc()).isEqualTo(new AigcLabel("1",
                    "0011FAKE0000000000000000001", "test-produce-0001",
                    "0011FAKE0000000000000000002", "test-propagate-0001"));
        }

        @Test
        void xmpAttributeForm() throws Exception {
            byte[] file = jpeg(xmpSegment(xmp(TC260_NS + " TC260:AIGC=\"" + xmlEscape(LABEL_JSON) + "\"", "")));

            assertThat(read(file).aigc()).isEqualTo(LABEL);
        }

        @Test
        void xmpInACompressedPngItxtChunk() throws Exception {
            String packet = xmp(TC260_NS, "<TC260:AIGC>" + xmlEscape(LABEL_JSON) + "</TC260:AIGC>");

            assertThat(read(png(iTXt("XML:com.adobe.xmp", packet, true))).aigc()).isEqualTo(LABEL);
        }

        @Test
        void pngTextChunk() throws Exception {
            assertThat(read(png(tEXt("AIGC", LABEL_JSON))).aigc()).isEqualTo(LABEL);
        }

        @Test
        void pngCompressedTextChunk() throws Exception {
            assertThat(read(png(zTXt("AIGC", utf8(LABEL_JSON)))).aigc()).isEqualTo(LABEL);
        }

        @Test
        void exifUserCommentInAscii() throws Exception {
            byte[] comment = concat(ascii("ASCII\0\0\0"), utf8("{\"AIGC\":" + LABEL_JSON + "}"));

            assertThat(read(jpeg(exifSegment(userComment(comment)))).aigc()).isEqualTo(LABEL);
        }

        @Test
        void exifUserCommentInUtf16EitherByteOrder() throws Exception {
            String json = "{\"AIGC\":" + LABEL_JSON + "}";
            for (var charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
                byte[] comment = concat(ascii("UNICODE\0"), json.getBytes(charset));

                assertThat(read(jpeg(exifSegment(userComment(comment)))).aigc()).as(charset.name()).isEqualTo(LABEL);
            }
        }

        @Test
        void userCommentThatIsNotALabelIsNoLabelAndNoError() throws Exception {
            byte[] comment = concat(ascii("ASCII\0\0\0"), utf8("{holiday photos"));

            assertThat(read(jpeg(exifSegment(userComment(comment)))).aigc()).isNull();
        }

        @Test
        void xmpLabelTakesPrecedenceOverThePngTextChunk() throws Exception {
            String packet = xmp(TC260_NS, "<TC260:AIGC>" + xmlEscape(LABEL_JSON) + "</TC260:AIGC>");
            byte[] file = png(tEXt("AIGC", "{\"Label\":\"3\"}"), iTXt("XML:com.adobe.xmp", packet, false));

            assertThat(read(file).aigc().label()).isEqualTo("2");
        }

        @Test
        void labelThatIsNotJsonIsUnreadableNotAbsent() {
            byte[] file = jpeg(xmpSegment(xmp(TC260_NS, "<TC260:AIGC>Label=1</TC260:AIGC>")));

            assertUnreadable(file, "GB 45438 label in XMP TC260:AIGC is not valid JSON");
        }
    }

    @Nested
    class OtherMarks {
        @Test
        void iptcDigitalSourceTypeInXmp() throws Exception {
            byte[] file = jpeg(xmpSegment(xmp(
                    "xmlns:Iptc4xmpExt=\"http://iptc.org/std/Iptc4xmpExt/2008-02-29/\"",
                    "<Iptc4xmpExt:DigitalSourceType>" + IPTC + "trainedAlgorithmicMedia"
                            + "</Iptc4xmpExt:DigitalSourceType>")));

            assertThat(read(file).iptcDigitalSourceType()).isEqualTo(IPTC + "trainedAlgorithmicMedia");
        }

        @Test
        void exifSoftwareMakeModelAndCaptureTimeWithOffsetAndSubseconds() throws Exception {
            byte[] tiff = tiff(
                    List.of(Entry.ascii(0x010F, "Ideogram AI"), Entry.ascii(0x0110, "v2"),
                            Entry.ascii(0x0131, "Midjourney")),
                    List.of(Entry.ascii(0x9003, "2025:03:01 10:15:30"), Entry.ascii(0x9011, "+08:00"),
                            Entry.ascii(0x9291, "25")));

            Provenance p = read(jpeg(exifSegment(tiff)));

            assertThat(p.software()).isEqualTo("Midjourney");
            assertThat(p.cameraMake()).isEqualTo("Ideogram AI");
            assertThat(p.cameraModel()).isEqualTo("v2");
            assertThat(p.capturedAt()).isEqualTo("2025-03-01T10:15:30.25+08:00");
        }

        @Test
        void exifInAPngExifChunk() throws Exception {
            byte[] tiff = tiff(List.of(Entry.ascii(0x0131, "DALL-E")), List.of());

            assertThat(read(png(TestImages.chunk("eXIf", tiff))).software()).isEqualTo("DALL-E");
        }

        @Test
        void blankOrImpossibleCaptureTimeIsAbsent() throws Exception {
            for (String date : List.of("    :  :     :  :  ", "2025:02:30 10:00:00")) {
                byte[] tiff = tiff(List.of(Entry.ascii(0x0131, "x")), List.of(Entry.ascii(0x9003, date)));

                assertThat(read(jpeg(exifSegment(tiff))).capturedAt()).as(date).isNull();
            }
        }

        @Test
        void xmpCreatorToolWhenThereIsNoExifSoftware() throws Exception {
            byte[] file = jpeg(xmpSegment(xmp("xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"",
                    "<xmp:CreatorTool>Adobe Firefly</xmp:CreatorTool>")));

            assertThat(read(file).software()).isEqualTo("Adobe Firefly");
        }

        @Test
        void remoteManifestUrlIsReportedAndIsNotStripped() throws Exception {
            String url = "https://cr.example.com/manifests/abc.c2pa";
            byte[] file = jpeg(xmpSegment(xmp("xmlns:dcterms=\"http://purl.org/dc/terms/\""
                    + " dcterms:provenance=\"" + url + "\"", "")));

            C2paInfo c2pa = read(file).c2pa();

            assertThat(c2pa).isEqualTo(new C2paInfo(false, List.of(), null, false, url));
        }

        @ParameterizedTest
        @ValueSource(strings = {"parameters", "prompt", "workflow"})
        void generatorTextChunks(String keyword) throws Exception {
            assertThat(read(png(tEXt(keyword, "{\"3\":{\"class_type\":\"KSampler\"}}"))).generatorParameters())
                    .isTrue();
        }

        @Test
        void a1111ParametersFileFromSharedData() throws Exception {
            Provenance p = read(fixture("synthetic-a1111-parameters.png"));

            assertThat(p.generatorParameters()).isTrue();
            assertThat(p.aigc()).isNull();
        }

        @Test
        void stableDiffusionParametersInAJpegUserComment() throws Exception {
            byte[] comment = concat(ascii("UNICODE\0"), ("a dented parcel\nNegative prompt: blurry\n"
                    + "Steps: 20, Sampler: DPM++ 2M, CFG scale: 7").getBytes(StandardCharsets.UTF_16BE));

            assertThat(read(jpeg(exifSegment(userComment(comment)))).generatorParameters()).isTrue();
        }

        @Test
        void ordinaryPngTextIsNotGeneratorParameters() throws Exception {
            assertThat(read(png(tEXt("Comment", "Steps to reproduce: none"))).generatorParameters()).isFalse();
        }
    }

    @Nested
    class SyntheticManifestInPngCabx {
        @Test
        void claimV2GeneratorInfoAndSourceTypesFromActionsParametersAndIngredients() throws Exception {
            byte[] actions = TestImages.cborAssertion("c2pa.actions.v2", Map.of("actions", List.of(
                    Map.of("action", "c2pa.created", "digitalSourceType", IPTC + "trainedAlgorithmicMedia"),
                    Map.of("action", "c2pa.edited",
                            "parameters", Map.of("com.example.source", IPTC + "compositeSynthetic")))));
            byte[] ingredient = TestImages.cborAssertion("c2pa.ingredient.v3__1", Map.of(
                    "relationship", "inputTo", "dataTypes", List.of(IPTC + "digitalCapture")));
            byte[] claim = TestImages.superbox("c2cl", "c2pa.claim.v2", TestImages.box("cbor", TestImages.cbor(Map.of(
                    "claim_generator_info", Map.of("name", "ExampleGen", "version", "3.1"),
                    "signature", "self#jumbf=c2pa.signature"))));
            byte[] store = TestImages.superbox("c2pa", "c2pa", TestImages.superbox("c2ma", "urn:c2pa:1",
                    TestImages.superbox("c2as", "c2pa.assertions", actions, ingredient), claim));

            C2paInfo c2pa = read(png(TestImages.chunk("caBX", store))).c2pa();

            assertThat(c2pa.present()).isTrue();
            assertThat(c2pa.claimGenerator()).isEqualTo("ExampleGen/3.1");
            assertThat(c2pa.digitalSourceTypes()).containsExactlyInAnyOrder(IPTC + "trainedAlgorithmicMedia",
                    IPTC + "compositeSynthetic", IPTC + "digitalCapture");
        }

        @Test
        void sourceTypesOutsideActionsAndIngredientsAreNotReported() throws Exception {
            byte[] store = TestImages.superbox("c2pa", "c2pa", TestImages.superbox("c2ma", "urn:c2pa:1",
                    TestImages.superbox("c2as", "c2pa.assertions",
                            TestImages.cborAssertion("com.example.notes", Map.of("note", IPTC + "trainedAlgorithmicMedia")))));

            C2paInfo c2pa = read(png(TestImages.chunk("caBX", store))).c2pa();

            assertThat(c2pa.present()).isTrue();
            assertThat(c2pa.digitalSourceTypes()).isEmpty();
            assertThat(c2pa.claimGenerator()).isNull();
        }
    }

    @Nested
    class FileInput {
        @Test
        void readsFromAPath(@TempDir Path dir) throws Exception {
            Path file = dir.resolve("evidence.jpg");
            Files.write(file, fixture("C.jpg"));

            assertThat(reader.read(file)).isEqualTo(read(fixture("C.jpg")));
        }
    }

    static byte[] userComment(byte[] comment) {
        return tiff(List.of(Entry.ascii(0x0131, "test")), List.of(Entry.undefined(0x9286, comment)));
    }

    /**
     * The file is refused as a whole, or the part named is left out of the reading and named in
     * {@code incomplete}: either way the reason is given in one line.
     */
    static void assertUnreadable(byte[] file, String messagePart) {
        Provenance reading;
        try {
            reading = new ProvenanceReader().read(file);
        } catch (UnreadableImageException e) {
            assertThat(e.getMessage()).contains(messagePart).doesNotContain("\n");
            return;
        }
        assertThat(reading.incomplete()).as("what the reading says it could not read")
                .anySatisfy(entry -> assertThat(entry).contains(messagePart).doesNotContain("\n"));
    }

    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
