package io.refundguard.images;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.events.Evidence;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class EvidenceFingerprinterTest {
    private static final String IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/";

    private final EvidenceFingerprinter fingerprinter = new EvidenceFingerprinter();

    @Test
    void carriesTheFileDigestAndThePdqHashOfTheReference() throws Exception {
        PdqReferenceData.Expected bridge = PdqReferenceData.javaImageIoReference().stream()
                .filter(row -> row.path().equals("bridge-mods/aaa-orig.jpg")).findFirst().orElseThrow();

        Evidence evidence = fingerprinter.fingerprint("img-1", EvidenceFixtures.bytes("pdq/images/bridge-mods/aaa-orig.jpg"));

        assertThat(evidence.imageId()).isEqualTo("img-1");
        assertThat(PdqHash.fromHex(evidence.pdq()).distance(bridge.hash())).isLessThanOrEqualTo(2);
        assertThat(evidence.pdqQuality()).isEqualTo(bridge.quality());
        assertThat(evidence.uri()).isNull();
        assertThat(evidence.fetchError()).isNull();
    }

    @Test
    void sha256IsTheHexDigestOfTheFileBytes() throws Exception {
        // Digest from `sha256sum src/test/resources/provenance/C.jpg`.
        Evidence evidence = fingerprinter.fingerprint("c", EvidenceFixtures.bytes("provenance/C.jpg"));

        assertThat(evidence.sha256()).isEqualTo("a2d14755db55de67a47c04090340d8266e892367be4104a45626d7a6fa6e9ffd");
    }

    @Test
    void readsProvenanceFromTheSameBytes() throws Exception {
        Evidence evidence = fingerprinter.fingerprint("ocsp", EvidenceFixtures.bytes("provenance/ocsp.jpg"));

        assertThat(evidence.provenance().c2pa().present()).isTrue();
        assertThat(evidence.provenance().c2pa().digitalSourceTypes())
                .contains(IPTC + "compositeWithTrainedAlgorithmicMedia");
        assertThat(evidence.pdq()).hasSize(64);
    }

    @Test
    void aPhotoWithMalformedMetadataKeepsItsPdqHashAndTheProvenanceSaysWhatWasNotRead() throws Exception {
        byte[] photo = EvidenceFixtures.bytes("provenance/IMG_0003.jpg");
        // An XMP packet that never closes, right after SOI: the pixels are untouched.
        byte[] payload = concat("http://ns.adobe.com/xap/1.0/\0".getBytes(ISO_8859_1),
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF".getBytes(UTF_8));
        byte[] segment = concat(new byte[] {(byte) 0xFF, (byte) 0xE1,
                (byte) ((payload.length + 2) >>> 8), (byte) (payload.length + 2)}, payload);
        byte[] broken = concat(Arrays.copyOf(photo, 2), segment, Arrays.copyOfRange(photo, 2, photo.length));

        Evidence clean = fingerprinter.fingerprint("clean", photo);
        Evidence evidence = fingerprinter.fingerprint("broken", broken);

        assertThat(clean.provenance()).isNotNull();
        assertThat(evidence.provenance().incomplete()).singleElement().asString().startsWith("XMP");
        assertThat(evidence.provenance().cameraMake()).isEqualTo(clean.provenance().cameraMake());
        assertThat(evidence.pdq()).isEqualTo(clean.pdq());
        assertThat(evidence.pdqQuality()).isEqualTo(clean.pdqQuality());
        assertThat(evidence.sha256()).isNotEqualTo(clean.sha256());
    }

    @Test
    void formatsOtherThanJpegAndPngAreRefusedWithTheReason() throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(EvidenceFixtures.bytes("pdq/images/pen-and-coaster.png")));
        ByteArrayOutputStream bmp = new ByteArrayOutputStream();
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(image, 0, 0, null);
        assertThat(ImageIO.write(rgb, "bmp", bmp)).isTrue();

        assertThatThrownBy(() -> fingerprinter.fingerprint("bmp", bmp.toByteArray()))
                .isInstanceOf(UnreadableEvidenceException.class)
                .hasMessage("not a decodable image: UNSUPPORTED_FORMAT: only JPEG and PNG are decoded"
                        + " (the file starts with 424d" + String.format("%02x%02x", bmp.toByteArray()[2], bmp.toByteArray()[3]) + ")");
    }

    @Test
    void bytesThatAreNoImageAreRefusedWithOneLine() {
        byte[] garbage = "not a photo\nat all\r\n".getBytes(UTF_8);

        assertThatThrownBy(() -> fingerprinter.fingerprint("g", garbage))
                .isInstanceOf(UnreadableEvidenceException.class)
                .hasMessageStartingWith("not a decodable image: ")
                .message().doesNotContain("\n", "\r");
        assertThatThrownBy(() -> fingerprinter.fingerprint("empty", new byte[0]))
                .isInstanceOf(UnreadableEvidenceException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void aTruncatedJpegIsRefusedRatherThanHashedHalfGrey() {
        byte[] photo = EvidenceFixtures.bytes("provenance/IMG_0003.jpg");

        assertThatThrownBy(() -> fingerprinter.fingerprint("cut", Arrays.copyOf(photo, photo.length / 2)))
                .isInstanceOf(UnreadableEvidenceException.class);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
