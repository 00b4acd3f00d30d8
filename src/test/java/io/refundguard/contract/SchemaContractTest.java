package io.refundguard.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertFactory;
import io.refundguard.alerts.AlertViews;
import io.refundguard.alerts.OutputJson;
import io.refundguard.alerts.Reason;
import io.refundguard.alerts.RecommendedAction;
import io.refundguard.alerts.ReportAutomaticApprovals;
import io.refundguard.alerts.Severity;
import io.refundguard.alerts.Subject;
import io.refundguard.alerts.SubjectKind;
import io.refundguard.alerts.Verdict;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.EventEncoder;
import io.refundguard.events.EventType;
import io.refundguard.events.RawRecord;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.Times;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import io.refundguard.patterns.PatternCode;
import io.refundguard.patterns.PatternFinding;
import io.refundguard.patterns.RequestRecord;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract exists three times: as JSON Schema for platforms, as samples in the README for
 * people, and as the decoder and output records for the job. This test keeps the three the same
 * thing: every sample is valid by its schema and by the decoder, everything the job writes is valid
 * by its schema, and schema and decoder accept and reject the same inputs.
 */
class SchemaContractTest {
    private static final Path README = Path.of("README.md");
    private static final Path SCHEMA_DIR = Path.of("src/main/resources/schema");
    private static final Pattern SAMPLE = Pattern.compile("(?m)^```json sample=([a-z-]+)(?: link-form)?\\n(.*?)\\n```$", Pattern.DOTALL);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    /**
     * JSON Schema patterns are ECMA-262, where {@code $} is the end of the string. The validator's
     * default engine, java.util.regex, also lets {@code $} match before a final line break, so
     * {@code "tb\n"} would pass {@code ^[a-z0-9]...$}: the decoder's checks would then look
     * stricter than the schema when the schema is in fact right.
     */
    private static final SchemaValidatorsConfig ECMA_262 = SchemaValidatorsConfig.builder()
            .regularExpressionFactory(SchemaContractTest::ecma262)
            .build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());
    private static final EventDecoder DECODER = new EventDecoder(CONFIG.input());

    /** One fenced {@code json sample=NAME} block of the README. */
    record Sample(String schema, int index, String json) {
        @Override
        public String toString() {
            return schema + " #" + index;
        }
    }

    static List<Sample> samples() {
        String readme;
        try {
            readme = Files.readString(README);
        } catch (IOException e) {
            throw new AssertionError("README.md must be readable from the project root", e);
        }
        List<Sample> samples = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher m = SAMPLE.matcher(readme);
        while (m.find()) {
            int index = counts.merge(m.group(1), 1, Integer::sum);
            samples.add(new Sample(m.group(1), index, m.group(2)));
        }
        return samples;
    }

    static List<String> schemaNames() throws IOException {
        try (Stream<Path> files = Files.list(SCHEMA_DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".schema.json"))
                    .map(name -> name.substring(0, name.length() - ".schema.json".length()))
                    .sorted()
                    .toList();
        }
    }

    // ---------------------------------------------------------------- the schema files themselves

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaNames")
    void schemaIsAValidDraft202012SchemaAndLoads(String name) throws IOException {
        JsonNode schemaJson = schemaJson(name);
        JsonSchema metaSchema = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));

        assertThat(metaSchema.validate(schemaJson)).as("%s against the 2020-12 meta-schema", name).isEmpty();
        assertThat(schemaJson.path("$schema").asText()).isEqualTo(SchemaId.V202012);
        assertThat(schemaJson.path("$id").asText()).isEqualTo("urn:refundguard:contract:v1:" + name);
        assertThat(schemaJson.path("title").asText()).isNotBlank();
        assertThat(schemaJson.path("description").asText()).isNotBlank();
        // Validators resolve $refs lazily; a dangling one would only surface on the first record.
        schema(name).initializeValidators();
    }

    @Test
    void definitionsSharedBetweenSchemasAreIdentical() throws IOException {
        // Each file stands alone so platforms can use it without a resolver; the copies must not
        // drift. Times are the exception between directions: the job always writes milliseconds.
        Map<String, JsonNode> firstSeen = new LinkedHashMap<>();
        Map<String, String> seenIn = new LinkedHashMap<>();
        Set<String> compared = new TreeSet<>();
        for (String name : schemaNames()) {
            Iterator<Map.Entry<String, JsonNode>> defs = schemaJson(name).path("$defs").fields();
            while (defs.hasNext()) {
                Map.Entry<String, JsonNode> def = defs.next();
                String key = def.getKey().equals("timestamp") ? "timestamp in " + direction(name) : def.getKey();
                JsonNode earlier = firstSeen.putIfAbsent(key, def.getValue());
                seenIn.putIfAbsent(key, name);
                if (earlier != null) {
                    compared.add(name);
                    assertThat(def.getValue()).as("$defs/%s in %s and %s", def.getKey(), name, seenIn.get(key))
                            .isEqualTo(earlier);
                }
            }
        }
        assertThat(seenIn).containsKeys("platform", "identifier", "hex256", "timestamp in input", "timestamp in output");
        assertThat(compared).contains("catalog-image", "refund-event", "verdict");
    }

    @Test
    void everySchemaHasSamplesAndEverySampleHasASchema() throws IOException {
        Set<String> sampled = new TreeSet<>();
        samples().forEach(s -> sampled.add(s.schema()));

        assertThat(sampled).containsExactlyInAnyOrderElementsOf(schemaNames());
    }

    @Test
    void theReadmeShowsEveryEventType() {
        Set<String> types = new TreeSet<>();
        samples().stream().filter(s -> s.schema().equals("refund-event"))
                .forEach(s -> types.add(parse(s.json()).path("type").asText()));

        assertThat(types).containsExactlyInAnyOrder(
                Stream.of(EventType.values()).map(Enum::name).toArray(String[]::new));
    }

    // ---------------------------------------------------------------- README samples

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleIsValidByItsSchema(Sample sample) {
        assertThat(errors(sample.schema(), parse(sample.json()))).as(sample.json()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void inputSampleIsAcceptedByTheDecoderAndSurvivesReEncoding(Sample sample) {
        byte[] bytes = sample.json().getBytes(StandardCharsets.UTF_8);
        switch (sample.schema()) {
            case "refund-event" -> {
                RefundEvent event = decode(bytes);
                String encoded = EventEncoder.toJson(event);

                assertThat(errors("refund-event", parse(encoded))).as(encoded).isEmpty();
                assertThat(decode(encoded.getBytes(StandardCharsets.UTF_8))).isEqualTo(event);
            }
            case "catalog-image" -> {
                DecodedCatalogImage image = DECODER.decodeCatalogImage(raw(bytes));
                assertThat(image.rejected()).as(sample.json()).isNull();
            }
            default -> {
                // Outputs: checked against what the job writes in the tests below.
            }
        }
    }

    @Test
    void deadLetterSampleCarriesARecordTheDecoderRejectsForExactlyTheStatedReason() {
        List<Sample> deadLetters = samples().stream().filter(s -> s.schema().equals("dead-letter")).toList();
        assertThat(deadLetters).isNotEmpty();
        for (Sample sample : deadLetters) {
            JsonNode dead = parse(sample.json());
            byte[] value = Base64.getDecoder().decode(dead.get("value").asText());
            byte[] key = Base64.getDecoder().decode(dead.get("key").asText());
            RawRecord raw = new RawRecord(dead.get("topic").asText(), dead.get("partition").asInt(),
                    dead.get("offset").asLong(), dead.get("timestamp").asLong(), key, value);

            DecodedEvent decoded = DECODER.decode(raw);

            assertThat(decoded.rejected()).as("the sample's record must really be bad").isNotNull();
            assertThat(decoded.rejected().reason()).isEqualTo(dead.get("reason").asText());
            assertThat(decoded.rejected().value()).isEqualTo(dead.get("value").asText());
        }
    }

    // ---------------------------------------------------------------- what the job writes

    @Test
    void alertsTheJobWritesAreValidAndDeclareEveryField() {
        RefundEvent trigger = firstRequestSample();
        List<RequestRecord> requests = List.of(
                request(trigger, "jd", "J-5521", "jd_88120934", "899.00", -9),
                request(trigger, "pdd", "2611140190534", "pdd_u_5512", "459.50", -5),
                RequestRecord.of(trigger, true));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requestCount", 3);
        details.put("window", "30d");
        details.put("matches", List.of(Map.of("imageId", "img-20261120-01", "hammingDistance", 12)));
        PatternFinding finding = new PatternFinding(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 0, requests,
                new BigDecimal("2057.50"), "CNY", details);
        Subject subject = new Subject(SubjectKind.IDENTITY, trigger.buyer().identityHash());

        Alert full = AlertFactory.build(finding, subject, trigger, CONFIG.rules(), 1_795_140_931_207L);

        assertValidOutput("alert", full);
        assertThat(parse(OutputJson.bytes(full)).has("otherPlatforms")).isFalse();
        for (String platform : full.platforms()) {
            Alert view = AlertViews.forPlatform(full, platform);
            JsonNode json = parse(OutputJson.bytes(view));

            assertValidOutput("alert", view);
            assertThat(json.get("otherPlatforms")).hasSize(full.platforms().size() - 1);
            assertThat(json.get("requests")).allSatisfy(r -> assertThat(r.get("platform").asText()).isEqualTo(platform));
        }
    }

    @Test
    void aFallbackPersonKeyAlertAndAnUnlimitedAmountAreValidToo() {
        RefundEvent trigger = firstRequestSample();
        RequestRecord other = request(trigger, "jd", "J-1", "jd_1", "0.10", -1);
        PatternFinding finding = new PatternFinding(PatternCode.AMOUNT_TIER, Severity.CRITICAL, 3,
                List.of(other, RequestRecord.of(trigger, true)), new BigDecimal("612345.678901"), "CNY", Map.of());
        // No identityHash: the person key falls back to platform:accountId, hidden from other platforms.
        Alert full = AlertFactory.build(finding, new Subject(SubjectKind.IDENTITY, "tb:tb_u_7781"), trigger,
                CONFIG.rules(), 1_795_140_931_207L);

        assertValidOutput("alert", full);
        assertValidOutput("alert", AlertViews.forPlatform(full, "jd"));
        assertThat(parse(OutputJson.bytes(AlertViews.forPlatform(full, "jd"))).at("/trigger/requestId").isNull()).isTrue();
    }

    @Test
    void automaticApprovalReportsAreValidAlerts() {
        RefundEvent request = firstRequestSample();
        Verdict held = new Verdict(request.platform(), request.requestId(), 80, RecommendedAction.REJECT_AND_REPORT,
                List.of(new Reason(PatternCode.AI_GENERATED_EVIDENCE, Severity.CRITICAL, 80)),
                List.of("a-5d0c6f2e9b8a41d7c3e2f10a9b8c7d6e"), "2026-11-22.1",
                Times.format(request.occurredAt(), request.utcOffsetSeconds()), Times.formatUtc(1_795_140_931_219L));
        var facts = new ReportAutomaticApprovals.RequestFacts(request.buyer().identityHash(), request.buyer().accountId(),
                request.amount(), request.currency(), request.occurredAt(), request.utcOffsetSeconds());
        var approval = new ReportAutomaticApprovals.Approval("tb-ev-20261120-000190", request.occurredAt() + 60_000,
                request.utcOffsetSeconds(), new BigDecimal("650.00"), "CNY");

        Alert full = ReportAutomaticApprovals.alert(facts, held, approval, CONFIG.rules().amountTier(), 1_795_140_991_000L);

        assertValidOutput("alert", full);
        assertValidOutput("alert", AlertViews.forPlatform(full, request.platform()));
        assertThat(parse(OutputJson.bytes(full)).at("/details/paidAmount").asText()).isEqualTo("650.00");
    }

    @Test
    void verdictsTheJobWritesAreValidAndDeclareEveryField() {
        Verdict clean = new Verdict("tb", "T-8835", 0, RecommendedAction.ALLOW, List.of(), List.of(), "2026-11-22.1",
                Times.format(1_795_140_930_123L, 8 * 3600), Times.formatUtc(1_795_140_931_219L));
        Verdict risky = new Verdict("tb", "T-8835", 100, RecommendedAction.REJECT_AND_REPORT,
                List.of(new Reason(PatternCode.CATALOG_IMAGE_MATCH, Severity.CRITICAL, 90),
                        new Reason(PatternCode.REPEAT_REFUNDER, Severity.HIGH, 30)),
                List.of("a-5d0c6f2e9b8a41d7c3e2f10a9b8c7d6e", "a-9e41b07c2d5f3a8e6b1c0d9f8e7a6b5c"), "2026-11-22.1",
                Times.format(1_795_140_930_123L, 8 * 3600), Times.formatUtc(1_795_140_931_219L));

        assertValidOutput("verdict", clean);
        assertValidOutput("verdict", risky);
    }

    @Test
    void deadLettersTheJobWritesAreValidAndDeclareEveryField() {
        byte[] notUtf8 = {'{', (byte) 0xff, '}'};
        DeadLetter fromKafka = DECODER.decode(new RawRecord("refund-events", 3, 184_467L, 1_794_963_731_250L,
                "jd:J-5521".getBytes(StandardCharsets.UTF_8), notUtf8)).rejected();
        DeadLetter fromFile = DECODER.decode(new RawRecord("events.jsonl", -1, 12, -1, null, "[]".getBytes(StandardCharsets.UTF_8)))
                .rejected();
        DeadLetter empty = DECODER.decode(new RawRecord("refund-events", 0, 0, 1L, null, null)).rejected();
        DeadLetter unexpected = EventDecoder.deadLetter(new RawRecord("refund-events", 0, 1, 1L, null, new byte[0]),
                "internal error while decoding: java.lang.IllegalStateException: two\nlines");

        for (DeadLetter dead : List.of(fromKafka, fromFile, empty, unexpected)) {
            assertValidOutput("dead-letter", dead);
        }
        assertThat(Base64.getDecoder().decode(fromKafka.value())).isEqualTo(notUtf8);
    }

    // ---------------------------------------------------------------- schema and decoder agree

    /** A change to a README sample that schema and decoder must judge alike. */
    record Variation(String name, String sampleType, Consumer<ObjectNode> change, boolean valid) {
        @Override
        public String toString() {
            return (valid ? "accepted: " : "rejected: ") + name;
        }
    }

    static Stream<Variation> variations() {
        List<Variation> v = new ArrayList<>();
        String req = "REFUND_REQUESTED";
        // Forward compatibility and optional fields.
        v.add(ok("unknown fields anywhere", req, e -> {
            e.put("refundChannel", "app");
            buyer(e).put("vip", true);
            image(e, 0).putObject("exif").put("iso", 100);
            image(e, 1).withObjectProperty("provenance").withObjectProperty("c2pa").put("manifestVersion", 2);
        }));
        v.add(ok("null optional fields", req, e -> {
            buyer(e).putNull("deviceHash").putNull("accountCreatedAt");
            image(e, 0).putNull("pdq").putNull("pdqQuality").putNull("provenance");
            image(e, 1).putNull("uri").withObjectProperty("provenance").withObjectProperty("c2pa").putNull("digitalSourceTypes");
        }));
        v.add(ok("hex in upper case", req, e -> buyer(e).put("identityHash", buyer(e).get("identityHash").asText().toUpperCase())));
        v.add(ok("no evidence", req, e -> e.remove("evidence")));
        v.add(ok("null evidence", req, e -> e.putNull("evidence")));
        v.add(ok("empty evidence", req, e -> e.putArray("evidence")));
        v.add(ok("time without seconds", req, e -> e.put("occurredAt", "2026-11-20T10:15+08:00")));
        v.add(ok("time in UTC with nanoseconds", req, e -> e.put("occurredAt", "2026-11-20T02:15:30.123456789Z")));
        v.add(ok("time at the largest offset", req, e -> e.put("occurredAt", "2026-11-20T20:15:30+18:00")));
        v.add(ok("amount zero", req, e -> e.put("amount", "0")));
        v.add(ok("amount with eight decimals in a currency without minor unit rules", req,
                e -> e.put("amount", "0.12345678").put("currency", "XAU")));
        v.add(ok("pdqQuality without pdq", req, e -> image(e, 1).put("pdqQuality", 40)));
        v.add(ok("REFUND_DECIDED without amount", "REFUND_DECIDED", e -> e.remove("automatic")));
        v.add(ok("REFUND_DECIDED with amount and currency", "REFUND_DECIDED", e -> e.put("amount", "99.00").put("currency", "CNY")));
        v.add(ok("another type's field is ignored", "REFUND_OUTCOME", e -> e.put("amount", 5).put("refundType", "?")));
        v.add(ok("IDENTITY_ERASED by account", "IDENTITY_ERASED", e -> {
            e.remove("identityHash");
            e.put("accountId", "jd_88120934");
        }));
        v.add(ok("IDENTITY_ERASED with a requestId", "IDENTITY_ERASED", e -> e.put("requestId", "J-5521")));

        // Rejected by both.
        v.add(bad("schemaVersion 2", req, e -> e.put("schemaVersion", 2)));
        v.add(bad("schemaVersion as a string", req, e -> e.put("schemaVersion", "1")));
        v.add(bad("unknown type", req, e -> e.put("type", "REFUND_CANCELLED")));
        for (String field : List.of("schemaVersion", "eventId", "type", "platform", "requestId", "occurredAt", "orderId",
                "merchantId", "productId", "refundType", "reason", "amount", "currency", "buyer")) {
            v.add(bad("missing " + field, req, e -> e.remove(field)));
        }
        v.add(bad("null for a required field", req, e -> e.putNull("merchantId")));
        v.add(bad("missing buyer.accountId", req, e -> buyer(e).remove("accountId")));
        v.add(bad("empty eventId", req, e -> e.put("eventId", "")));
        v.add(bad("control character in an id", req, e -> e.put("orderId", "O\u0001")));
        v.add(bad("C1 control character in an id", req, e -> e.put("orderId", "O\u0085")));
        v.add(bad("id of 129 characters", req, e -> e.put("productId", "p".repeat(129))));
        v.add(bad("platform in upper case", req, e -> e.put("platform", "TB")));
        v.add(bad("platform with a space", req, e -> e.put("platform", "t b")));
        v.add(bad("platform of 33 characters", req, e -> e.put("platform", "p".repeat(33))));
        v.add(bad("platform with a trailing line break", req, e -> e.put("platform", "tb\n")));
        v.add(bad("hash with a trailing line break", req, e -> buyer(e).put("deviceHash", "a".repeat(64) + "\n")));
        v.add(bad("amount with a trailing line break", req, e -> e.put("amount", "699.00\r\n")));
        v.add(bad("time with a trailing line break", req, e -> e.put("occurredAt", "2026-11-20T10:15:30+08:00\u2028")));
        v.add(bad("id ending in a line break", req, e -> e.put("orderId", "O-1\n")));
        v.add(bad("unknown refundType", req, e -> e.put("refundType", "PARTIAL")));
        v.add(bad("unknown reason", req, e -> e.put("reason", "CHANGED_MIND")));
        v.add(bad("identityHash of 63 hex", req, e -> buyer(e).put("identityHash", "a".repeat(63))));
        v.add(bad("deviceHash of 65 hex", req, e -> buyer(e).put("deviceHash", "a".repeat(65))));
        v.add(bad("sha256 not hex", req, e -> image(e, 1).put("sha256", "g".repeat(64))));
        v.add(bad("pdq without pdqQuality", req, e -> image(e, 0).remove("pdqQuality")));
        v.add(bad("pdqQuality 101", req, e -> image(e, 0).put("pdqQuality", 101)));
        v.add(bad("pdqQuality -1", req, e -> image(e, 0).put("pdqQuality", -1)));
        v.add(bad("pdqQuality 50.5", req, e -> image(e, 0).put("pdqQuality", 50.5)));
        v.add(bad("pdqQuality as a string", req, e -> image(e, 0).put("pdqQuality", "87")));
        v.add(bad("amount as a number", req, e -> e.put("amount", 699)));
        v.add(bad("negative amount", req, e -> e.put("amount", "-699.00")));
        v.add(bad("amount NaN", req, e -> e.put("amount", "NaN")));
        v.add(bad("amount in exponent notation", req, e -> e.put("amount", "1e5")));
        v.add(bad("amount with a leading zero", req, e -> e.put("amount", "0699.00")));
        v.add(bad("amount with nine decimals", req, e -> e.put("amount", "0.123456789").put("currency", "XAU")));
        v.add(bad("currency in lower case", req, e -> e.put("currency", "cny")));
        v.add(bad("currency of two letters", req, e -> e.put("currency", "CN")));
        v.add(bad("time without offset", req, e -> e.put("occurredAt", "2026-11-20T10:15:30.123")));
        v.add(bad("time with an hours-only offset", req, e -> e.put("occurredAt", "2026-11-20T10:15:30+08")));
        v.add(bad("time with an offset in seconds", req, e -> e.put("occurredAt", "2026-11-20T10:15:30+08:00:00")));
        v.add(bad("time beyond the largest offset", req, e -> e.put("occurredAt", "2026-11-20T10:15:30+18:01")));
        v.add(bad("time in lower case", req, e -> e.put("occurredAt", "2026-11-20t02:15:30z")));
        v.add(bad("time in month 13", req, e -> e.put("occurredAt", "2026-13-20T10:15:30+08:00")));
        v.add(bad("time with ten fraction digits", req, e -> e.put("occurredAt", "2026-11-20T10:15:30.1234567890+08:00")));
        v.add(bad("time in 1970", req, e -> e.put("occurredAt", "1970-01-01T08:00:00+08:00")));
        v.add(bad("time in 9999", req, e -> e.put("occurredAt", "9999-12-31T23:59:59+08:00")));
        v.add(bad("accountCreatedAt not ISO", req, e -> buyer(e).put("accountCreatedAt", "2025-03-02")));
        v.add(bad("evidence as an object", req, e -> e.putObject("evidence")));
        v.add(bad("evidence element a string", req, e -> ((ArrayNode) e.get("evidence")).add("img")));
        v.add(bad("evidence without imageId", req, e -> image(e, 0).remove("imageId")));
        v.add(bad("uri of 2049 characters", req, e -> image(e, 1).put("uri", "u".repeat(2049))));
        v.add(bad("aigc label 4", req, e -> image(e, 0).withObjectProperty("provenance").withObjectProperty("aigc").put("label", "4")));
        v.add(bad("aigc label as a number", req, e -> image(e, 0).withObjectProperty("provenance").withObjectProperty("aigc").put("label", 1)));
        v.add(bad("c2pa present as a string", req, e -> image(e, 1).withObjectProperty("provenance").withObjectProperty("c2pa").put("present", "true")));
        v.add(bad("digitalSourceTypes as an object", req,
                e -> image(e, 1).withObjectProperty("provenance").withObjectProperty("c2pa").putObject("digitalSourceTypes")));
        v.add(bad("digitalSourceTypes holding a number", req,
                e -> ((ArrayNode) image(e, 1).withObjectProperty("provenance").withObjectProperty("c2pa").get("digitalSourceTypes")).add(3)));
        v.add(bad("generatorParameters as a string", req, e -> image(e, 0).withObjectProperty("provenance").put("generatorParameters", "yes")));
        v.add(bad("buyer as a string", req, e -> e.put("buyer", "tb_u_7781")));
        v.add(bad("unknown decision", "REFUND_DECIDED", e -> e.put("decision", "MAYBE")));
        v.add(bad("automatic as a string", "REFUND_DECIDED", e -> e.put("automatic", "false")));
        v.add(bad("REFUND_DECIDED amount without currency", "REFUND_DECIDED", e -> e.put("amount", "99.00")));
        v.add(bad("REFUND_DECIDED malformed currency without amount", "REFUND_DECIDED", e -> e.put("currency", "cny")));
        v.add(bad("REFUND_DECIDED without requestId", "REFUND_DECIDED", e -> e.remove("requestId")));
        v.add(bad("unknown verdict", "REFUND_OUTCOME", e -> e.put("verdict", "GUILTY")));
        v.add(bad("source as a number", "REFUND_OUTCOME", e -> e.put("source", 7)));
        v.add(bad("IDENTITY_ERASED naming nobody", "IDENTITY_ERASED", e -> e.remove("identityHash")));
        v.add(bad("IDENTITY_ERASED naming nobody with nulls", "IDENTITY_ERASED", e -> e.putNull("identityHash").putNull("accountId")));
        v.add(bad("IDENTITY_ERASED identityHash not hex", "IDENTITY_ERASED", e -> e.put("identityHash", "ann")));

        // catalog-images.
        v.add(ok("catalog tombstone without pdq", "catalog", e -> {
            e.remove("pdq");
            e.remove("pdqQuality");
            e.put("deleted", true);
        }));
        v.add(ok("catalog explicitly not deleted", "catalog", e -> e.put("deleted", false)));
        v.add(bad("catalog without pdq", "catalog", e -> e.remove("pdq")));
        v.add(bad("catalog without pdqQuality", "catalog", e -> e.remove("pdqQuality")));
        v.add(bad("catalog not deleted, without pdq", "catalog", e -> e.put("deleted", false).remove("pdq")));
        v.add(bad("catalog pdqQuality 101", "catalog", e -> e.put("pdqQuality", 101)));
        v.add(bad("catalog without imageId", "catalog", e -> e.remove("imageId")));
        v.add(bad("catalog deleted as a string", "catalog", e -> e.put("deleted", "true")));
        return v.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variations")
    void schemaAndDecoderJudgeAlike(Variation variation) {
        ObjectNode json = variation.sampleType().equals("catalog")
                ? (ObjectNode) parse(sampleOf("catalog-image", null))
                : (ObjectNode) parse(sampleOf("refund-event", variation.sampleType()));
        variation.change().accept(json);
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);

        boolean catalog = variation.sampleType().equals("catalog");
        Set<ValidationMessage> schemaErrors = errors(catalog ? "catalog-image" : "refund-event", json);
        String decoderReason = catalog
                ? reasonOrNull(DECODER.decodeCatalogImage(raw(bytes)).rejected())
                : reasonOrNull(DECODER.decode(raw(bytes)).rejected());

        assertThat(schemaErrors.isEmpty()).as("schema on %s: %s", json, schemaErrors).isEqualTo(variation.valid());
        assertThat(decoderReason == null).as("decoder on %s: %s", json, decoderReason).isEqualTo(variation.valid());
    }

    // ---------------------------------------------------------------- helpers

    private static Variation ok(String name, String type, Consumer<ObjectNode> change) {
        return new Variation(name, type, change, true);
    }

    private static Variation bad(String name, String type, Consumer<ObjectNode> change) {
        return new Variation(name, type, change, false);
    }

    private static String reasonOrNull(DeadLetter dead) {
        return dead == null ? null : dead.reason();
    }

    /**
     * Valid by the schema, and strictly so: the open schema lets consumers tolerate new fields,
     * but a field the job writes and the schema does not declare means the two have drifted.
     */
    private static void assertValidOutput(String schemaName, Object record) {
        JsonNode json = parse(OutputJson.bytes(record));
        assertThat(errors(schemaName, json)).as("%s", json).isEmpty();
        JsonSchema closed = FACTORY.getSchema(closed(schemaJson(schemaName).deepCopy()), ECMA_262);
        assertThat(closed.validate(json)).as("undeclared fields in %s", json).isEmpty();
    }

    /** The schema with every object that lists its properties closed to others. */
    private static JsonNode closed(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            object.remove("$id");
            if (object.has("properties")) {
                object.put("additionalProperties", false);
            }
            object.forEach(SchemaContractTest::closed);
        } else if (schema instanceof ArrayNode array) {
            array.forEach(SchemaContractTest::closed);
        }
        return schema;
    }

    private static String sampleOf(String schema, String type) {
        return samples().stream()
                .filter(s -> s.schema().equals(schema))
                .filter(s -> type == null || parse(s.json()).path("type").asText().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("README has no " + schema + " sample of " + type))
                .json();
    }

    private static RefundEvent firstRequestSample() {
        return decode(sampleOf("refund-event", "REFUND_REQUESTED").getBytes(StandardCharsets.UTF_8));
    }

    private static RequestRecord request(RefundEvent like, String platform, String requestId, String accountId,
            String amount, int daysEarlier) {
        return new RequestRecord(platform, requestId, accountId, like.occurredAt() + daysEarlier * 86_400_000L,
                like.utcOffsetSeconds(), true, new BigDecimal(amount), "CNY", false, null, null);
    }

    private static RefundEvent decode(byte[] bytes) {
        DecodedEvent decoded = DECODER.decode(raw(bytes));
        assertThat(decoded.rejected()).as(new String(bytes, StandardCharsets.UTF_8)).isNull();
        return decoded.event();
    }

    /** Kafka timestamp -1: the samples' dates are fixed, so no future-skew check applies. */
    private static RawRecord raw(byte[] bytes) {
        return new RawRecord("refund-events", 0, 0, -1, null, bytes);
    }

    private static Set<ValidationMessage> errors(String schemaName, JsonNode json) {
        return schema(schemaName).validate(json);
    }

    private static JsonSchema schema(String name) {
        return SCHEMAS.computeIfAbsent(name,
                n -> FACTORY.getSchema(SchemaLocation.of("classpath:schema/" + n + ".schema.json"), ECMA_262));
    }

    private static JsonNode schemaJson(String name) {
        try (InputStream in = SchemaContractTest.class.getResourceAsStream("/schema/" + name + ".schema.json")) {
            assertThat(in).as("schema/%s.schema.json on the classpath", name).isNotNull();
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static RegularExpression ecma262(String regex) {
        String endAnchored = regex.endsWith("$") && !regex.endsWith("\\$")
                ? regex.substring(0, regex.length() - 1) + "\\z"
                : regex;
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(endAnchored);
        return value -> pattern.matcher(value).find();
    }

    private static String direction(String schemaName) {
        return Set.of("refund-event", "catalog-image").contains(schemaName) ? "input" : "output";
    }

    private static JsonNode parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode buyer(ObjectNode event) {
        return (ObjectNode) event.get("buyer");
    }

    private static ObjectNode image(ObjectNode event, int index) {
        return (ObjectNode) event.get("evidence").get(index);
    }
}
