package io.refundguard.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.images.EvidenceFixtures;
import io.refundguard.images.PdqHash;
import io.refundguard.images.PdqReferenceData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/";

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("fingerprint"));
        all.addAll(List.of(args));
        return Main.run(all,
                new PrintStream(outBytes, true, UTF_8), new PrintStream(errBytes, true, UTF_8));
    }

    private List<JsonNode> outLines() throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : outBytes.toString(UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private List<String> errLines() {
        return errBytes.toString(UTF_8).lines().toList();
    }

    private static String provenanceFile(String name) {
        return EvidenceFixtures.path("provenance/" + name).toString();
    }

    @Test
    void pdqOfTheReferenceImagesIsTheReferenceHash() throws Exception {
        List<PdqReferenceData.Expected> rows = PdqReferenceData.javaImageIoReference().stream()
                .filter(row -> row.quality() >= 80).toList();
        String[] files = rows.stream().map(row -> PdqReferenceData.image(row.path()).toString()).toArray(String[]::new);

        int status = run(files);

        assertThat(status).isZero();
        assertThat(errBytes.toString(UTF_8)).isEmpty();
        List<JsonNode> lines = outLines();
        assertThat(lines).hasSize(rows.size()).hasSizeGreaterThanOrEqualTo(10);
        for (int i = 0; i < rows.size(); i++) {
            PdqReferenceData.Expected row = rows.get(i);
            JsonNode line = lines.get(i);
            assertThat(line.get("imageId").asText()).isEqualTo(Path.of(row.path()).getFileName().toString());
            assertThat(PdqHash.fromHex(line.get("pdq").asText()).distance(row.hash()))
                    .as(row.path()).isLessThanOrEqualTo(2);
            assertThat(line.get("pdqQuality").asInt()).as(row.path()).isEqualTo(row.quality());
            assertThat(line.get("sha256").asText()).matches("[0-9a-f]{64}");
        }
    }

    @Test
    void generativeAiFixturesAreFlaggedInTheirProvenanceAndCameraPhotosAreNot() throws Exception {
        List<String> generated = List.of("ocsp.jpg", "synthetic-tc260-xmp.jpg", "synthetic-tc260-xmp-itxt.png",
                "synthetic-a1111-parameters.png");
        List<String> plain = List.of("C.jpg", "IMG_0003.jpg", "synthetic-plain.png");
        List<String> all = new ArrayList<>(generated);
        all.addAll(plain);

        int status = run(all.stream().map(FingerprintCommandTest::provenanceFile).toArray(String[]::new));

        assertThat(status).isZero();
        Map<String, JsonNode> byId = new java.util.HashMap<>();
        for (JsonNode line : outLines()) {
            byId.put(line.get("imageId").asText(), line.get("provenance"));
        }
        assertThat(byId).containsOnlyKeys(all);
        assertThat(byId.get("ocsp.jpg").at("/c2pa/digitalSourceTypes")).extracting(JsonNode::asText)
                .contains(IPTC + "compositeWithTrainedAlgorithmicMedia");
        assertThat(byId.get("synthetic-tc260-xmp.jpg").at("/aigc/label").asText()).isEqualTo("1");
        assertThat(byId.get("synthetic-tc260-xmp-itxt.png").at("/aigc/label").asText()).isEqualTo("1");
        assertThat(byId.get("synthetic-a1111-parameters.png").get("generatorParameters").asBoolean()).isTrue();
        for (String name : generated) {
            assertThat(generativeAi(byId.get(name))).as(name).isTrue();
        }
        for (String name : plain) {
            assertThat(byId.get(name)).as(name).isNotNull();
            assertThat(generativeAi(byId.get(name))).as(name).isFalse();
        }
    }

    /** The contract's AI-evidence signals that these fixtures can carry. */
    private static boolean generativeAi(JsonNode provenance) {
        boolean generativeSource = false;
        for (JsonNode type : provenance.at("/c2pa/digitalSourceTypes")) {
            generativeSource |= type.asText().equals(IPTC + "trainedAlgorithmicMedia")
                    || type.asText().equals(IPTC + "compositeWithTrainedAlgorithmicMedia");
        }
        return generativeSource
                || provenance.has("aigc")
                || provenance.path("generatorParameters").asBoolean(false);
    }

    @Test
    void aGarbageFileInTheMiddleGetsAnErrorLineAndTheOthersStillPrint() throws Exception {
        Path garbage = Files.writeString(tmp.resolve("receipt.jpg"), "this is a text file\nnot a JPEG\n");

        int status = run(provenanceFile("C.jpg"), garbage.toString(), provenanceFile("IMG_0003.jpg"));

        assertThat(status).isEqualTo(1);
        List<JsonNode> lines = outLines();
        assertThat(lines).extracting(line -> line.get("imageId").asText())
                .containsExactly("C.jpg", "receipt.jpg", "IMG_0003.jpg");
        assertThat(lines.get(0).has("pdq")).isTrue();
        assertThat(lines.get(2).has("pdq")).isTrue();
        JsonNode error = lines.get(1);
        assertThat(fieldNames(error)).containsExactly("imageId", "error");
        assertThat(error.get("error").asText()).startsWith("not a decodable image");
        assertThat(errLines()).singleElement().asString()
                .startsWith("refundguard fingerprint: " + garbage + ": not a decodable image")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void aMissingFileAndADirectoryAreErrorsOfTheirOwn() throws Exception {
        int status = run(tmp.resolve("nope.jpg").toString(), tmp.toString());

        assertThat(status).isEqualTo(1);
        assertThat(outLines()).extracting(line -> line.get("error").asText())
                .containsExactly("no such file", "is a directory");
        assertThat(errLines()).hasSize(2);
    }

    @Test
    void absentValuesAreLeftOutOfTheLine() throws Exception {
        run(provenanceFile("synthetic-plain.png"));

        JsonNode line = outLines().get(0);
        assertThat(fieldNames(line)).containsExactly("imageId", "sha256", "pdq", "pdqQuality", "provenance",
                "localFeatures");
        assertThat(outBytes.toString(UTF_8)).doesNotContain("null");
    }

    @Test
    void noFilesIsAUsageError() {
        int status = run();

        assertThat(status).isEqualTo(2);
        assertThat(outBytes.toString(UTF_8)).isEmpty();
        assertThat(errLines().get(0)).isEqualTo("refundguard fingerprint: no files given");
        assertThat(errLines().get(1)).isEqualTo("See `refundguard fingerprint --help`.");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        int status = run("--radius", provenanceFile("C.jpg"));

        assertThat(status).isEqualTo(2);
        assertThat(errLines().get(0)).isEqualTo("refundguard fingerprint: unknown option --radius");
        assertThat(outBytes.toString(UTF_8)).isEmpty();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
