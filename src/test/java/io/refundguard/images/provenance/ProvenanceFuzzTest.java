package io.refundguard.images.provenance;

import static io.refundguard.images.provenance.TestImages.ascii;
import static io.refundguard.images.provenance.TestImages.chunk;
import static io.refundguard.images.provenance.TestImages.concat;
import static io.refundguard.images.provenance.TestImages.exifSegment;
import static io.refundguard.images.provenance.TestImages.fixture;
import static io.refundguard.images.provenance.TestImages.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.images.provenance.TestImages.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutates every fixture at random (bit flips, truncations, lengths set to huge values, inserted,
 * deleted and repeated ranges) and requires each result to read or to fail with {@link
 * UnreadableImageException}: no other exception, no error, no hang. The seed is fixed, so a
 * failure names the seed, file and iteration that reproduce it.
 */
class ProvenanceFuzzTest {
    private static final long SEED = 0x5EED_2025_0451L;
    private static final int ITERATIONS = 4000;

    @Test
    // A hang guard only: the loop takes seconds, a hang would take forever.
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void mutatedFilesReadOrFailWithTheCheckedExceptionOnly() {
        Map<String, byte[]> seeds = seeds();
        List<String> names = new ArrayList<>(seeds.keySet());
        Random random = new Random(SEED);
        ProvenanceReader reader = new ProvenanceReader();
        List<String> escaped = new ArrayList<>();
        int read = 0;
        int unreadable = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            String name = names.get(i % names.size());
            byte[] original = seeds.get(name);
            StringBuilder how = new StringBuilder();
            byte[] mutated = mutate(original, metadataEnd(original), random, how);
            try {
                reader.read(mutated);
                read++;
            } catch (UnreadableImageException e) {
                assertThat(e.getMessage()).as("one-line reason").isNotBlank().doesNotContain("\n");
                unreadable++;
            } catch (Throwable t) {
                escaped.add("seed " + SEED + " iteration " + i + " " + name + " [" + how + "]: " + t);
            }
        }
        assertThat(escaped).as("exceptions other than UnreadableImageException").isEmpty();
        // Both outcomes occur, so the mutations neither all miss the metadata nor all wreck it.
        assertThat(read).isPositive();
        assertThat(unreadable).isPositive();
    }

    private static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : List.of("ocsp.jpg", "C.jpg", "CA.jpg", "XCA.jpg", "no_manifest.jpg", "IMG_0003.jpg",
                "libpng-test.png", "synthetic-tc260-xmp.jpg", "synthetic-tc260-xmp-itxt.png",
                "synthetic-a1111-parameters.png", "synthetic-plain.png")) {
            seeds.put(name, fixture(name));
        }
        String label = "{\"Label\":\"1\",\"ContentProducer\":\"x\",\"ProduceID\":\"y\"}";
        byte[] exif = TestImages.tiff(List.of(Entry.ascii(0x010F, "Make"), Entry.ascii(0x0131, "Midjourney")),
                List.of(Entry.ascii(0x9003, "2025:03:01 10:15:30"), Entry.ascii(0x9011, "+08:00"),
                        Entry.undefined(0x9286, concat(ascii("ASCII\0\0\0"), utf8("{\"AIGC\":" + label + "}")))));
        seeds.put("built-exif.jpg", TestImages.jpeg(exifSegment(exif)));
        byte[] store = TestImages.superbox("c2pa", "c2pa", TestImages.superbox("c2ma", "urn:c2pa:1",
                TestImages.superbox("c2as", "c2pa.assertions", TestImages.cborAssertion("c2pa.actions",
                        Map.of("actions", List.of(Map.of("action", "c2pa.created", "digitalSourceType",
                                "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"))))),
                TestImages.superbox("c2cl", "c2pa.claim", TestImages.box("cbor",
                        TestImages.cbor(Map.of("claim_generator", "fuzz/1"))))));
        seeds.put("built-text-exif-cabx.png", TestImages.png(TestImages.zTXt("AIGC", utf8(label)),
                TestImages.iTXt("Description", "a cracked mug", true), chunk("eXIf", exif), chunk("caBX", store)));
        return seeds;
    }

    /**
     * Where the metadata ends: the first SOS of a JPEG, the first IDAT of a PNG. Most mutations
     * land before it, since bytes in the image data are never read.
     */
    private static int metadataEnd(byte[] file) {
        if (PngScanner.isPng(file)) {
            int idat = ProvenanceReaderTest.indexOf(file, ascii("IDAT"), 8);
            return idat > 0 ? idat + 4 : file.length;
        }
        int pos = 2;
        while (pos + 4 <= file.length && (file[pos] & 0xff) == 0xFF && (file[pos + 1] & 0xff) != 0xDA) {
            pos += 2 + (((file[pos + 2] & 0xff) << 8) | (file[pos + 3] & 0xff));
        }
        return Math.min(pos + 2, file.length);
    }

    private static byte[] mutate(byte[] original, int metadataEnd, Random random, StringBuilder how) {
        byte[] b = original.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && b.length > 0; r++) {
            int limit = Math.min(b.length, random.nextInt(10) < 9 ? metadataEnd : b.length);
            int at = random.nextInt(Math.max(1, limit));
            switch (random.nextInt(6)) {
                case 0 -> {
                    int flips = 1 + random.nextInt(16);
                    for (int f = 0; f < flips; f++) {
                        int p = Math.min(b.length - 1, at + random.nextInt(64));
                        b[p] ^= (byte) (1 << random.nextInt(8));
                    }
                    how.append("flip ").append(flips).append('@').append(at).append(' ');
                }
                case 1 -> {
                    b = Arrays.copyOf(b, at);
                    how.append("truncate@").append(at).append(' ');
                }
                case 2 -> {
                    byte[] huge = switch (random.nextInt(5)) {
                        case 0 -> new byte[] {-1, -1, -1, -1};
                        case 1 -> new byte[] {0x7F, -1, -1, -1};
                        case 2 -> new byte[] {(byte) 0x80, 0, 0, 0};
                        case 3 -> new byte[] {-1, -1};
                        default -> new byte[] {0, 0, 0, 1};
                    };
                    for (int k = 0; k < huge.length && at + k < b.length; k++) {
                        b[at + k] = huge[k];
                    }
                    how.append("huge@").append(at).append(' ');
                }
                case 3 -> {
                    byte[] junk = new byte[1 + random.nextInt(64)];
                    random.nextBytes(junk);
                    b = concat(Arrays.copyOf(b, at), junk, Arrays.copyOfRange(b, at, b.length));
                    how.append("insert ").append(junk.length).append('@').append(at).append(' ');
                }
                case 4 -> {
                    int end = Math.min(b.length, at + 1 + random.nextInt(256));
                    b = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, end, b.length));
                    how.append("delete ").append(end - at).append('@').append(at).append(' ');
                }
                default -> {
                    int end = Math.min(b.length, at + 1 + random.nextInt(256));
                    byte[] slice = Arrays.copyOfRange(b, at, end);
                    int to = random.nextInt(Math.max(1, limit));
                    b = concat(Arrays.copyOf(b, to), slice, Arrays.copyOfRange(b, to, b.length));
                    how.append("repeat ").append(slice.length).append('@').append(at).append("->").append(to)
                            .append(' ');
                }
            }
        }
        return b;
    }
}
