package io.refundguard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.job.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder is the only gate between platforms' producers and the detector's state, so every
 * rule of the contract's "bad input" section is pinned here by one rejected example, and the
 * reason is checked because platform engineers fix their producers from it.
 */
class EventDecoderTest {
    private static final InputLimits LIMITS = ConfigLoader.load(List.of()).input();
    private static final EventDecoder DECODER = new EventDecoder(LIMITS);

    private static final String TOPIC = "refund-events";
    private static final int PARTITION = 3;
    private static final long OFFSET = 4242L;
    private static final byte[] KEY = "tb:T-1".getBytes(StandardCharsets.UTF_8);

    private static final String OCCURRED_AT = "2026-11-20T10:15:30.123+08:00";
    private static final long OCCURRED_MILLIS = OffsetDateTime.parse(OCCURRED_AT).toInstant().toEpochMilli();
    /** Kafka stamps the record shortly after the platform wrote it. */
    private static final long KAFKA_TIMESTAMP = OCCURRED_MILLIS + 250;

    private static final String IDENTITY = TestEvents.hash("person:ann");
    private static final String DEVICE = TestEvents.hash("device:phone");
    private static final String PDQ = TestEvents.hash("pdq:img-1");
    private static final String SHA = TestEvents.hash("sha:img-2");
    private static final String SELLER = TestEvents.hash("seller:91310000MA1FL0XX7Q");

    static ObjectNode requested() {
        return (ObjectNode) parse("""
                {
                  "schemaVersion": 1,
                  "eventId": "tb-ev-1",
                  "type": "REFUND_REQUESTED",
                  "platform": "tb",
                  "requestId": "T-1",
                  "occurredAt": "%s",
                  "orderId": "O-1",
                  "merchantId": "M-1",
                  "productId": "P-1",
                  "refundType": "REFUND_ONLY",
                  "reason": "DAMAGED",
                  "amount": "129.00",
                  "currency": "CNY",
                  "buyer": {
                    "accountId": "tb_u_1",
                    "identityHash": "%s",
                    "deviceHash": "%s",
                    "accountCreatedAt": "2025-03-02T08:30:00+08:00"
                  },
                  "evidence": [
                    {
                      "imageId": "img-1",
                      "pdq": "%s",
                      "pdqQuality": 80,
                      "provenance": {"aigc": {"label": "1", "contentProducer": "producer-9"}}
                    },
                    {
                      "imageId": "img-2",
                      "sha256": "%s",
                      "uri": "https://evidence.example/img-2.jpg",
                      "provenance": {
                        "c2pa": {
                          "present": true,
                          "digitalSourceTypes": ["http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"],
                          "claimGenerator": "gen/1.0",
                          "stripped": false
                        },
                        "software": "editor 2",
                        "generatorParameters": true
                      }
                    }
                  ]
                }
                """.formatted(OCCURRED_AT, IDENTITY, DEVICE, PDQ, SHA));
    }

    static ObjectNode decided() {
        ObjectNode json = TestEvents.base("tb-ev-2", "REFUND_DECIDED", "tb", "T-1", OCCURRED_AT);
        json.put("decision", "APPROVED");
        json.put("automatic", true);
        json.put("amount", "99.50");
        json.put("currency", "CNY");
        return json;
    }

    static ObjectNode outcome() {
        ObjectNode json = TestEvents.base("tb-ev-3", "REFUND_OUTCOME", "tb", "T-1", OCCURRED_AT);
        json.put("verdict", "FRAUD");
        json.put("source", "court");
        return json;
    }

    static ObjectNode erased() {
        ObjectNode json = TestEvents.base("tb-ev-4", "IDENTITY_ERASED", "tb", null, OCCURRED_AT);
        json.put("identityHash", IDENTITY);
        return json;
    }

    /** One rejected input: what arrives, and what the reason must say. */
    record BadInput(String name, byte[] bytes, long kafkaTimestamp, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadInput> badInputs() {
        List<BadInput> cases = new ArrayList<>();
        String valid = requested().toString();

        // Not a JSON object at all.
        cases.add(raw("truncated JSON", valid.substring(0, valid.length() / 2), "not valid JSON"));
        cases.add(raw("array", "[1, 2]", "expected a JSON object, got an array"));
        cases.add(raw("string", "\"REFUND_REQUESTED\"", "expected a JSON object, got a string"));
        cases.add(raw("number", "42", "expected a JSON object, got a number"));
        cases.add(raw("null", "null", "expected a JSON object, got null"));
        cases.add(raw("empty record", "", "empty record"));
        cases.add(raw("whitespace only", " \n\t \r\n", "empty record"));
        cases.add(raw("trailing garbage", valid + " x", "not valid JSON"));
        cases.add(raw("second object after the first", valid + "{}", "not valid JSON"));
        cases.add(raw("duplicate key", valid.replaceFirst("\\{", "{\"amount\":\"1.00\","), "Duplicate field 'amount'"));
        cases.add(bytes("invalid UTF-8 byte", withBytesInUnknownField(valid, 0xff), "not valid UTF-8"));
        // Overlong and surrogate encodings are invalid UTF-8 even though a lenient decoder maps
        // them to characters; inside an ignored field they must not slip through either.
        cases.add(bytes("overlong UTF-8 encoding", withBytesInUnknownField(valid, 0xc0, 0xaf), "not valid UTF-8"));
        cases.add(bytes("UTF-8 encoded surrogate", withBytesInUnknownField(valid, 0xed, 0xa0, 0x80), "not valid UTF-8"));
        cases.add(bytes("UTF-16 with byte order mark", utf16WithBom(valid), "not valid UTF-8"));
        cases.add(raw("lone high surrogate escape in eventId",
                valid.replace("\"tb-ev-1\"", "\"tb-ev-\\ud800\""), "eventId: contains a lone UTF-16 surrogate"));
        cases.add(raw("lone low surrogate escape in buyer.accountId",
                valid.replace("\"tb_u_1\"", "\"\\udc00tb\""), "buyer.accountId: contains a lone UTF-16 surrogate"));
        cases.add(raw("nesting deeper than the limit",
                valid.replaceFirst("\\{", "{\"x\":" + "[".repeat(LIMITS.maxNestingDepth() + 1)
                        + "]".repeat(LIMITS.maxNestingDepth() + 1) + ","),
                "nesting depth"));
        cases.add(json("record above maxRecordBytes",
                e -> e.put("padding", "x".repeat(LIMITS.maxRecordBytes())),
                "bytes; the maximum is " + LIMITS.maxRecordBytes()));

        // Versions, types and enum values.
        cases.add(json("unknown type", e -> e.put("type", "REFUND_CANCELLED"), "type: unknown value \"REFUND_CANCELLED\""));
        cases.add(json("type in lower case", e -> e.put("type", "refund_requested"), "type: unknown value"));
        cases.add(json("type holding line breaks", e -> e.put("type", "A\u2028B\u0085C\nD"), "type: unknown value \"A?B?C?D\""));
        cases.add(json("unknown refundType", e -> e.put("refundType", "PARTIAL"), "refundType: unknown value \"PARTIAL\""));
        cases.add(json("unknown reason", e -> e.put("reason", "CHANGED_MIND"), "reason: unknown value \"CHANGED_MIND\""));
        cases.add(of("unknown decision", decided(), e -> e.put("decision", "MAYBE"), "decision: unknown value \"MAYBE\""));
        cases.add(of("unknown verdict", outcome(), e -> e.put("verdict", "GUILTY"), "verdict: unknown value \"GUILTY\""));
        cases.add(json("schemaVersion 2", e -> e.put("schemaVersion", 2), "schemaVersion: unsupported version 2"));
        cases.add(json("schemaVersion as a string", e -> e.put("schemaVersion", "1"), "schemaVersion: expected an integer, got a string"));
        cases.add(json("schemaVersion 1.0", e -> e.put("schemaVersion", 1.0), "schemaVersion: expected an integer, got a number"));
        cases.add(json("schemaVersion missing", e -> e.remove("schemaVersion"), "schemaVersion: required field is missing"));

        // Required fields.
        for (String field : List.of("eventId", "type", "platform", "requestId", "occurredAt", "orderId", "merchantId",
                "productId", "refundType", "reason", "buyer", "amount", "currency")) {
            cases.add(json("missing " + field, e -> e.remove(field), field + ": required field is missing"));
        }
        cases.add(json("missing buyer.accountId", e -> buyer(e).remove("accountId"), "buyer.accountId: required field is missing"));
        cases.add(json("null for a required field", e -> e.putNull("orderId"), "orderId: required field is missing"));
        cases.add(of("REFUND_DECIDED without requestId", decided(), e -> e.remove("requestId"), "requestId: required field is missing"));
        cases.add(of("REFUND_DECIDED without decision", decided(), e -> e.remove("decision"), "decision: required field is missing"));
        cases.add(of("REFUND_OUTCOME without verdict", outcome(), e -> e.remove("verdict"), "verdict: required field is missing"));

        // Identifiers and platform codes.
        cases.add(json("empty eventId", e -> e.put("eventId", ""), "eventId: must not be empty"));
        cases.add(json("control character in eventId", e -> e.put("eventId", "tb\u0007ev"), "eventId: contains a control character at index 2"));
        cases.add(json("newline in requestId", e -> e.put("requestId", "T-1\n"), "requestId: contains a control character"));
        cases.add(json("orderId of 129 characters", e -> e.put("orderId", "o".repeat(129)), "orderId: longer than 128 characters"));
        cases.add(json("platform in upper case", e -> e.put("platform", "TB"), "platform: expected a short lower-case platform code"));
        cases.add(json("platform with a space", e -> e.put("platform", "t b"), "platform: expected a short lower-case platform code"));
        cases.add(json("platform of 33 characters", e -> e.put("platform", "p".repeat(33)), "platform: expected a short lower-case platform code"));
        cases.add(json("empty platform", e -> e.put("platform", ""), "platform: expected a short lower-case platform code"));

        // Wrong JSON types.
        cases.add(json("number for a string", e -> e.put("merchantId", 2231), "merchantId: expected a string, got a number"));
        cases.add(json("boolean for a string", e -> e.put("productId", true), "productId: expected a string, got a boolean"));
        cases.add(of("string for a boolean", decided(), e -> e.put("automatic", "true"), "automatic: expected true or false, got a string"));
        cases.add(json("object for an array", e -> e.putObject("evidence"), "evidence: expected an array, got an object"));
        cases.add(json("object for an array of strings",
                e -> c2pa(e).putObject("digitalSourceTypes"),
                "evidence[1].provenance.c2pa.digitalSourceTypes: expected an array of strings, got an object"));
        cases.add(json("number inside an array of strings",
                e -> ((ArrayNode) c2pa(e).get("digitalSourceTypes")).add(7),
                "evidence[1].provenance.c2pa.digitalSourceTypes[1]: expected a string, got a number"));
        cases.add(json("string for an object", e -> e.put("buyer", "tb_u_1"), "buyer: expected an object, got a string"));
        cases.add(json("array for provenance", e -> image(e, 0).putArray("provenance"), "evidence[0].provenance: expected an object, got an array"));

        // 256-bit hex values.
        cases.add(json("identityHash of 63 hex", e -> buyer(e).put("identityHash", IDENTITY.substring(1)), "buyer.identityHash: expected 64 hex characters"));
        cases.add(json("identityHash of 65 hex", e -> buyer(e).put("identityHash", IDENTITY + "a"), "buyer.identityHash: expected 64 hex characters"));
        cases.add(json("deviceHash not hex", e -> buyer(e).put("deviceHash", "g" + DEVICE.substring(1)), "buyer.deviceHash: expected 64 hex characters"));
        cases.add(json("paymentHash with 0x prefix", e -> buyer(e).put("paymentHash", "0x" + DEVICE.substring(2)), "buyer.paymentHash: expected 64 hex characters"));
        cases.add(json("sha256 of 65 hex", e -> image(e, 1).put("sha256", SHA + "0"), "evidence[1].sha256: expected 64 hex characters"));
        cases.add(json("sha256 not hex", e -> image(e, 1).put("sha256", SHA.substring(1) + "z"), "evidence[1].sha256: expected 64 hex characters"));
        cases.add(json("pdq of 63 hex", e -> image(e, 0).put("pdq", PDQ.substring(1)), "evidence[0].pdq: expected 64 hex characters"));
        cases.add(json("pdq not hex", e -> image(e, 0).put("pdq", PDQ.substring(2) + "-!"), "evidence[0].pdq: expected 64 hex characters"));
        cases.add(json("merchantIdentityHash of 63 hex", e -> e.put("merchantIdentityHash", SELLER.substring(1)), "merchantIdentityHash: expected 64 hex characters"));
        cases.add(json("merchantIdentityHash not hex", e -> e.put("merchantIdentityHash", "91310000MA1FL0XX7Q"), "merchantIdentityHash: expected 64 hex characters"));
        cases.add(json("merchantIdentityHash as a number", e -> e.put("merchantIdentityHash", 7), "merchantIdentityHash: expected a string, got a number"));
        cases.add(of("erased identityHash not hex", erased(), e -> e.put("identityHash", "person-ann"), "identityHash: expected 64 hex characters"));

        // PDQ quality.
        cases.add(json("pdq without pdqQuality", e -> image(e, 0).remove("pdqQuality"), "evidence[0].pdqQuality: required field is missing"));
        cases.add(json("pdqQuality 101", e -> image(e, 0).put("pdqQuality", 101), "evidence[0].pdqQuality: expected 0..100, got 101"));
        cases.add(json("pdqQuality -1", e -> image(e, 0).put("pdqQuality", -1), "evidence[0].pdqQuality: expected 0..100, got -1"));
        cases.add(json("pdqQuality 50.5", e -> image(e, 0).put("pdqQuality", 50.5), "evidence[0].pdqQuality: expected an integer, got a number"));
        cases.add(json("pdqQuality as a string", e -> image(e, 0).put("pdqQuality", "80"), "evidence[0].pdqQuality: expected an integer, got a string"));

        // Money.
        cases.add(json("amount as a JSON number", e -> e.put("amount", new BigDecimal("129.00")), "amount: expected a decimal string like \"129.00\", got a number"));
        cases.add(json("negative amount", e -> e.put("amount", "-129.00"), "amount: expected a non-negative decimal string"));
        cases.add(json("amount NaN", e -> e.put("amount", "NaN"), "amount: expected a non-negative decimal string"));
        cases.add(json("amount in exponent notation", e -> e.put("amount", "1e5"), "amount: expected a non-negative decimal string"));
        cases.add(json("amount with a thousands separator", e -> e.put("amount", "1,299.00"), "amount: expected a non-negative decimal string"));
        cases.add(json("amount with a leading zero", e -> e.put("amount", "0129.00"), "amount: expected a non-negative decimal string"));
        cases.add(json("three fraction digits for CNY", e -> e.put("amount", "1.001"), "amount: CNY has 2 fraction digits, got \"1.001\""));
        cases.add(json("fraction digits for JPY", e -> e.put("amount", "100.5").put("currency", "JPY"), "amount: JPY has 0 fraction digits"));
        cases.add(json("amount above maxAmount",
                e -> e.put("amount", LIMITS.maxAmount().add(new BigDecimal("0.01")).toPlainString()),
                "amount: " + LIMITS.maxAmount().add(new BigDecimal("0.01")).toPlainString() + " is above the configured maximum"));
        cases.add(json("unknown currency", e -> e.put("currency", "XXY"), "currency: expected an ISO-4217 currency code like \"CNY\", got \"XXY\""));
        cases.add(json("currency in lower case", e -> e.put("currency", "cny"), "currency: expected an ISO-4217 currency code"));
        cases.add(json("currency symbol", e -> e.put("currency", "¥"), "currency: expected an ISO-4217 currency code"));
        cases.add(of("REFUND_DECIDED amount without currency", decided(), e -> e.remove("currency"), "currency: required field is missing"));
        cases.add(of("REFUND_DECIDED amount as a number", decided(), e -> e.put("amount", 99.5), "amount: expected a decimal string"));
        cases.add(of("REFUND_DECIDED currency without amount, malformed", decided(),
                e -> {
                    e.remove("amount");
                    e.put("currency", "cny");
                },
                "currency: expected an ISO-4217 currency code"));

        // Times.
        cases.add(json("occurredAt without offset", e -> e.put("occurredAt", "2026-11-20T10:15:30.123"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt not ISO", e -> e.put("occurredAt", "20/11/2026 10:15"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt as epoch millis", e -> e.put("occurredAt", OCCURRED_MILLIS), "occurredAt: expected a string, got a number"));
        cases.add(json("occurredAt date only", e -> e.put("occurredAt", "2026-11-20"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt on February 30", e -> e.put("occurredAt", "2026-02-30T10:15:30+08:00"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt offset of hours only", e -> e.put("occurredAt", "2026-11-20T10:15:30+08"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt offset with seconds", e -> e.put("occurredAt", "2026-11-20T10:15:30+08:00:00"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt in lower case", e -> e.put("occurredAt", "2026-11-20t02:15:30z"), "occurredAt: expected ISO-8601 with an offset"));
        cases.add(json("occurredAt in 1970", e -> e.put("occurredAt", "1970-01-01T08:00:00+08:00"), "occurredAt: year 1970 is outside 2000..2200"));
        cases.add(json("occurredAt in 9999", e -> e.put("occurredAt", "9999-12-31T23:59:59+08:00"), "occurredAt: year 9999 is outside 2000..2200"));
        cases.add(new BadInput("occurredAt far ahead of the Kafka timestamp", requested().toString().getBytes(StandardCharsets.UTF_8),
                OCCURRED_MILLIS - LIMITS.maxFutureSkew().toMillis() - 1000,
                "occurredAt: is " + (LIMITS.maxFutureSkew().toSeconds() + 1) + " s after the record's Kafka timestamp"));
        cases.add(json("accountCreatedAt not ISO", e -> buyer(e).put("accountCreatedAt", "2025-03-02"), "buyer.accountCreatedAt: expected ISO-8601 with an offset"));

        // Evidence.
        cases.add(json("evidence as a string", e -> e.put("evidence", "img-1"), "evidence: expected an array, got a string"));
        cases.add(json("more evidence than maxEvidence", e -> {
            ArrayNode images = e.putArray("evidence");
            for (int i = 0; i <= LIMITS.maxEvidence(); i++) {
                images.addObject().put("imageId", "img-" + i);
            }
        }, "evidence: " + (LIMITS.maxEvidence() + 1) + " elements; the maximum is " + LIMITS.maxEvidence()));
        cases.add(json("evidence element not an object", e -> ((ArrayNode) e.get("evidence")).add("img-3"), "evidence[2]: expected an object, got a string"));
        cases.add(json("evidence element null", e -> ((ArrayNode) e.get("evidence")).addNull(), "evidence[2]: expected an object, got null"));
        cases.add(json("evidence without imageId", e -> image(e, 1).remove("imageId"), "evidence[1].imageId: required field is missing"));
        cases.add(json("uri longer than 2048", e -> image(e, 1).put("uri", "https://x/" + "a".repeat(2048)), "evidence[1].uri: longer than 2048 characters"));
        cases.add(json("aigc label 4", e -> aigc(e).put("label", "4"), "evidence[0].provenance.aigc.label: expected \"1\", \"2\" or \"3\" (GB 45438-2025), got \"4\""));
        cases.add(json("aigc label as a number", e -> aigc(e).put("label", 1), "evidence[0].provenance.aigc.label: expected a string, got a number"));
        cases.add(json("c2pa present as a string", e -> c2pa(e).put("present", "yes"), "evidence[1].provenance.c2pa.present: expected true or false, got a string"));

        // IDENTITY_ERASED.
        cases.add(of("IDENTITY_ERASED naming nobody", erased(), e -> e.remove("identityHash"),
                "identityHash, accountId: IDENTITY_ERASED needs identityHash, or platform and accountId; both are missing"));
        cases.add(of("IDENTITY_ERASED with an empty accountId", erased(),
                e -> {
                    e.remove("identityHash");
                    e.put("accountId", "");
                },
                "accountId: must not be empty"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void rejectsBadInputWithAReasonNamingTheFieldAndKeepsTheOriginalBytes(BadInput input) {
        DecodedEvent result = DECODER.decode(record(input.bytes(), input.kafkaTimestamp()));

        assertThat(result.isValid()).as("accepted: %s", result.event()).isFalse();
        assertThat(result.event()).isNull();
        DeadLetter dead = result.rejected();
        assertThat(dead.reason()).contains(input.expected()).doesNotContainPattern("\\R");
        assertThat(dead.reason()).doesNotStartWith("internal error");
        assertThat(Base64.getDecoder().decode(dead.value())).isEqualTo(input.bytes());
        assertThat(Base64.getDecoder().decode(dead.key())).isEqualTo(KEY);
        assertThat(dead.topic()).isEqualTo(TOPIC);
        assertThat(dead.partition()).isEqualTo(PARTITION);
        assertThat(dead.offset()).isEqualTo(OFFSET);
        assertThat(dead.timestamp()).isEqualTo(input.kafkaTimestamp());
    }

    @Test
    void thereAreEnoughBadInputsToCoverTheContract() {
        assertThat(badInputs().count()).isGreaterThanOrEqualTo(40);
        assertThat(badInputs().map(BadInput::name).distinct().count()).isEqualTo(badInputs().count());
    }

    @Test
    void everyBadInputIsRejectedForItsOwnReasonNotBecauseTheBaseIsBroken() {
        for (ObjectNode base : List.of(requested(), decided(), outcome(), erased())) {
            assertThat(DECODER.decode(record(bytes(base), KAFKA_TIMESTAMP)).isValid()).as(base.toString()).isTrue();
        }
    }

    @Test
    void aUtf8ByteOrderMarkIsIgnored() {
        byte[] json = bytes(outcome());
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xef;
        withBom[1] = (byte) 0xbb;
        withBom[2] = (byte) 0xbf;
        System.arraycopy(json, 0, withBom, 3, json.length);

        assertThat(DECODER.decode(record(withBom, KAFKA_TIMESTAMP)).event())
                .isEqualTo(DECODER.decode(record(json, KAFKA_TIMESTAMP)).event())
                .isNotNull();
    }

    @Test
    void aRecordWithoutValueIsAnEmptyRecord() {
        DecodedEvent result = DECODER.decode(new RawRecord(TOPIC, PARTITION, OFFSET, KAFKA_TIMESTAMP, null, null));

        assertThat(result.rejected().reason()).isEqualTo("empty record");
        assertThat(result.rejected().key()).isNull();
        assertThat(result.rejected().value()).isNull();
    }

    @Test
    void decodesRefundRequestedIntoEveryField() {
        ObjectNode json = requested();
        // Platforms may write hex in upper case; the detector compares lower case.
        buyer(json).put("identityHash", IDENTITY.toUpperCase());
        image(json, 0).put("pdq", PDQ.toUpperCase());
        json.put("futureField", "ignored");
        buyer(json).putObject("futureObject").put("x", 1);
        image(json, 1).put("width", 4032);
        c2pa(json).putArray("futureList").add(1);

        RefundEvent event = decodeValid(json);

        assertThat(event.schemaVersion()).isEqualTo(1);
        assertThat(event.eventId()).isEqualTo("tb-ev-1");
        assertThat(event.type()).isEqualTo(EventType.REFUND_REQUESTED);
        assertThat(event.platform()).isEqualTo("tb");
        assertThat(event.requestId()).isEqualTo("T-1");
        assertThat(event.occurredAt()).isEqualTo(1_795_140_930_123L);
        assertThat(event.utcOffsetSeconds()).isEqualTo(8 * 3600);
        assertThat(event.orderId()).isEqualTo("O-1");
        assertThat(event.merchantId()).isEqualTo("M-1");
        assertThat(event.productId()).isEqualTo("P-1");
        assertThat(event.refundType()).isEqualTo(RefundType.REFUND_ONLY);
        assertThat(event.reason()).isEqualTo(RefundReason.DAMAGED);
        assertThat(event.amount()).isEqualTo(new BigDecimal("129.00"));
        assertThat(event.currency()).isEqualTo("CNY");
        assertThat(event.buyer()).isEqualTo(new Buyer("tb_u_1", IDENTITY, DEVICE, null, null, null,
                OffsetDateTime.parse("2025-03-02T08:30:00+08:00").toInstant().toEpochMilli()));
        assertThat(event.evidence()).containsExactly(
                new Evidence("img-1", null, null, PDQ, 80,
                        new Provenance(new AigcLabel("1", "producer-9", null, null, null), null, null, null, null, null, null, null),
                        null),
                new Evidence("img-2", SHA, "https://evidence.example/img-2.jpg", null, null,
                        new Provenance(null,
                                new C2paInfo(true, List.of("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"),
                                        "gen/1.0", false, null),
                                null, "editor 2", true, null, null, null),
                        null));
        assertThat(event.decision()).isNull();
        assertThat(event.verdict()).isNull();
        assertThat(event.identityHash()).isNull();
    }

    @Test
    void keepsTheOffsetTheTimeWasWrittenIn() {
        RefundEvent utc = decodeValid(requested().put("occurredAt", "2026-11-20T02:15:30.123Z"));
        RefundEvent india = decodeValid(requested().put("occurredAt", "2026-11-20T07:45:30.123+05:30"));
        RefundEvent minutes = decodeValid(requested().put("occurredAt", "2026-11-20T10:15+08:00"));

        assertThat(utc.occurredAt()).isEqualTo(1_795_140_930_123L);
        assertThat(utc.utcOffsetSeconds()).isZero();
        assertThat(india.occurredAt()).isEqualTo(1_795_140_930_123L);
        assertThat(india.utcOffsetSeconds()).isEqualTo(5 * 3600 + 30 * 60);
        assertThat(minutes.occurredAt()).isEqualTo(1_795_140_900_000L);
    }

    @Test
    void missingOrNullEvidenceIsEmpty() {
        assertThat(decodeValid(requested().without("evidence")).evidence()).isEmpty();
        assertThat(decodeValid(requested().putNull("evidence")).evidence()).isEmpty();
        ObjectNode empty = requested();
        empty.putArray("evidence");
        assertThat(decodeValid(empty).evidence()).isEmpty();
    }

    @Test
    void aFetchErrorSentByAPlatformIsNotTaken() {
        // Only the detector records why it could not fetch an image; a platform's claim is ignored.
        ObjectNode json = requested();
        image(json, 1).put("fetchError", "timed out");

        assertThat(decodeValid(json).evidence()).extracting(Evidence::fetchError).containsOnlyNulls();
    }

    @Test
    void nullForAnOptionalFieldIsTreatedAsAbsent() {
        ObjectNode json = requested();
        buyer(json).putNull("deviceHash").putNull("accountCreatedAt").putNull("phoneHash");
        image(json, 0).putNull("pdq").putNull("pdqQuality").putNull("provenance");
        image(json, 1).putNull("sha256").putNull("uri");
        c2pa(json).putNull("present").putNull("digitalSourceTypes");

        RefundEvent event = decodeValid(json);

        assertThat(event.buyer().deviceHash()).isNull();
        assertThat(event.buyer().accountCreatedAt()).isNull();
        assertThat(event.evidence().get(0)).isEqualTo(new Evidence("img-1", null, null, null, null, null, null));
        assertThat(event.evidence().get(1).sha256()).isNull();
        assertThat(event.evidence().get(1).provenance().c2pa().present()).isNull();
        assertThat(event.evidence().get(1).provenance().c2pa().digitalSourceTypes()).isNull();
    }

    @Test
    void decodesRefundDecided() {
        RefundEvent paid = decodeValid(decided());
        RefundEvent plain = decodeValid(decided().without(List.of("amount", "currency", "automatic")));

        assertThat(paid.type()).isEqualTo(EventType.REFUND_DECIDED);
        assertThat(paid.requestId()).isEqualTo("T-1");
        assertThat(paid.decision()).isEqualTo(Decision.APPROVED);
        assertThat(paid.automatic()).isTrue();
        assertThat(paid.amount()).isEqualTo(new BigDecimal("99.50"));
        assertThat(paid.currency()).isEqualTo("CNY");
        assertThat(paid.buyer()).isNull();
        assertThat(plain.amount()).isNull();
        assertThat(plain.currency()).isNull();
        assertThat(plain.automatic()).isFalse();
    }

    @Test
    void decodesRefundOutcome() {
        RefundEvent event = decodeValid(outcome());

        assertThat(event.type()).isEqualTo(EventType.REFUND_OUTCOME);
        assertThat(event.verdict()).isEqualTo(OutcomeVerdict.FRAUD);
        assertThat(event.source()).isEqualTo("court");
        assertThat(decodeValid(outcome().without("source")).source()).isNull();
    }

    @Test
    void decodesIdentityErasedByHashOrByAccount() {
        RefundEvent byHash = decodeValid(erased().put("identityHash", IDENTITY.toUpperCase()));
        ObjectNode account = erased();
        account.remove("identityHash");
        RefundEvent byAccount = decodeValid(account.put("accountId", "tb_u_1"));

        assertThat(byHash.type()).isEqualTo(EventType.IDENTITY_ERASED);
        assertThat(byHash.identityHash()).isEqualTo(IDENTITY);
        assertThat(byHash.accountId()).isNull();
        assertThat(byHash.requestId()).isNull();
        assertThat(byAccount.identityHash()).isNull();
        assertThat(byAccount.accountId()).isEqualTo("tb_u_1");
        assertThat(byAccount.platform()).isEqualTo("tb");
    }

    @Test
    void futureSkewIsMeasuredAgainstTheKafkaTimestampUpToTheLimitExactly() {
        long skew = LIMITS.maxFutureSkew().toMillis();
        byte[] value = bytes(requested());

        assertThat(DECODER.decode(record(value, OCCURRED_MILLIS - skew)).isValid()).isTrue();
        assertThat(DECODER.decode(record(value, OCCURRED_MILLIS - skew - 1)).isValid()).isFalse();
        // File input has no Kafka timestamp: a replay of any age decodes as it did live.
        assertThat(DECODER.decode(record(value, -1)).isValid()).isTrue();
    }

    @Test
    void amountAtTheLimitsIsAccepted() {
        assertThat(decodeValid(requested().put("amount", LIMITS.maxAmount().toPlainString())).amount())
                .isEqualByComparingTo(LIMITS.maxAmount());
        assertThat(decodeValid(requested().put("amount", "0")).amount()).isEqualByComparingTo("0");
        // Trailing zeros carry no extra precision.
        assertThat(decodeValid(requested().put("amount", "1.000")).amount()).isEqualTo(new BigDecimal("1.000"));
        assertThat(decodeValid(requested().put("amount", "1500").put("currency", "JPY")).amount()).isEqualTo(new BigDecimal("1500"));
    }

    @Test
    void readsTheSellersIdentityHashInLowerCaseAndLeavesItNullWhenAbsent() {
        RefundEvent linked = decodeValid(requested().put("merchantIdentityHash", SELLER.toUpperCase()));
        RefundEvent unlinked = decodeValid(requested());

        assertThat(linked.merchantIdentityHash()).isEqualTo(SELLER);
        assertThat(linked.merchantId()).isEqualTo("M-1");
        assertThat(unlinked.merchantIdentityHash()).isNull();
        assertThat(EventEncoder.toJson(linked)).contains("\"merchantIdentityHash\":\"" + SELLER + "\"");
        assertThat(decodeValid(parse(EventEncoder.toJson(linked)))).isEqualTo(linked);
    }

    @Test
    void aListingPhotoCarriesItsSellersIdentityHashAndABadOneIsDeadLettered() {
        ObjectNode json = TestEvents.JSON.createObjectNode()
                .put("platform", "jd").put("merchantId", "J-9").put("merchantIdentityHash", SELLER.toUpperCase())
                .put("productId", "P-1").put("imageId", "main-1")
                .put("pdq", PDQ).put("pdqQuality", 100).put("occurredAt", OCCURRED_AT);

        DecodedCatalogImage image = DECODER.decodeCatalogImage(record(bytes(json), KAFKA_TIMESTAMP));
        DecodedCatalogImage bad = DECODER.decodeCatalogImage(
                record(bytes(json.deepCopy().put("merchantIdentityHash", "abc")), KAFKA_TIMESTAMP));

        assertThat(image.image().merchantIdentityHash()).isEqualTo(SELLER);
        assertThat(EventEncoder.toJson(image.image())).contains("\"merchantIdentityHash\":\"" + SELLER + "\"");
        assertThat(bad.rejected().reason()).isEqualTo("merchantIdentityHash: expected 64 hex characters, got \"abc\"");
        assertThat(bad.rejected().value()).isEqualTo(Base64.getEncoder().encodeToString(
                bytes(json.deepCopy().put("merchantIdentityHash", "abc"))));
    }

    @Test
    void decodesCatalogImagesAndTombstones() {
        ObjectNode json = TestEvents.JSON.createObjectNode()
                .put("platform", "tb").put("merchantId", "M-1").put("productId", "P-1").put("imageId", "main-1")
                .put("pdq", PDQ.toUpperCase()).put("pdqQuality", 100).put("occurredAt", OCCURRED_AT);

        DecodedCatalogImage image = DECODER.decodeCatalogImage(record(bytes(json), KAFKA_TIMESTAMP));
        DecodedCatalogImage tombstone = DECODER.decodeCatalogImage(record(
                bytes(json.deepCopy().put("deleted", true).without(List.of("pdq", "pdqQuality"))), KAFKA_TIMESTAMP));
        DecodedCatalogImage noPdq = DECODER.decodeCatalogImage(record(bytes(json.deepCopy().without("pdq")), KAFKA_TIMESTAMP));
        DecodedCatalogImage badQuality = DECODER.decodeCatalogImage(record(bytes(json.deepCopy().put("pdqQuality", 101)), KAFKA_TIMESTAMP));

        assertThat(image.image()).isEqualTo(new CatalogImage("tb", "M-1", "P-1", "main-1", PDQ, 100, OCCURRED_MILLIS, false));
        assertThat(tombstone.image()).isEqualTo(new CatalogImage("tb", "M-1", "P-1", "main-1", null, 0, OCCURRED_MILLIS, true));
        assertThat(noPdq.rejected().reason()).isEqualTo("pdq: required field is missing");
        assertThat(badQuality.rejected().reason()).isEqualTo("pdqQuality: expected 0..100, got 101");
    }

    /**
     * Whatever the bytes, decode returns: a crash would stop the job, and a reason over several
     * lines would break the one-record-per-line tools reading the dead-letter topic.
     */
    @Test
    void randomByteMutationsNeverThrowAndAlwaysEndValidOrWithAOneLineReason() {
        byte[] valid = bytes(requested());
        Random random = new Random(20261120L);
        int rejected = 0;
        for (int i = 0; i < 2_000; i++) {
            byte[] mutated = mutate(valid, random);
            RawRecord raw = record(mutated, KAFKA_TIMESTAMP);

            DecodedEvent result = assertDoesNotThrow(raw);

            assertThat(result.isValid()).as("exactly one of event and dead letter")
                    .isEqualTo(result.rejected() == null)
                    .isEqualTo(result.event() != null);
            if (result.isValid()) {
                // Anything accepted must survive the way back out unchanged.
                String again = EventEncoder.toJson(result.event());
                assertThat(decodeValid(again).equals(result.event())).as("round trip of %s", again).isTrue();
            } else {
                rejected++;
                String reason = result.rejected().reason();
                assertThat(reason).as("mutation %d", i).isNotBlank().doesNotContainPattern("\\R");
                assertThat(reason).as("mutation %d", i).doesNotStartWith("internal error");
                assertThat(Base64.getDecoder().decode(result.rejected().value())).isEqualTo(mutated);
            }
        }
        // Guards the generator: mutations that never break anything would prove nothing.
        assertThat(rejected).isGreaterThan(1_000);
    }

    private static DecodedEvent assertDoesNotThrow(RawRecord raw) {
        DecodedEvent[] result = new DecodedEvent[1];
        assertThatCode(() -> result[0] = DECODER.decode(raw)).doesNotThrowAnyException();
        return result[0];
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && bytes.length > 0; e++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(6)) {
                case 0 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes[at] = (byte) random.nextInt(256);
                case 2 -> bytes = splice(bytes, at, 1, new byte[0]);
                case 3 -> bytes = splice(bytes, at, 0, new byte[] {(byte) random.nextInt(256)});
                case 4 -> bytes = java.util.Arrays.copyOf(bytes, at);
                default -> {
                    // JSON's own punctuation, so mutations also reach the structure, not only text.
                    byte[] structural = "{}[]\",:\\0-.eE ".getBytes(StandardCharsets.US_ASCII);
                    bytes[at] = structural[random.nextInt(structural.length)];
                }
            }
        }
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
        out.write(bytes, 0, at);
        out.writeBytes(insert);
        out.write(bytes, at + remove, bytes.length - at - remove);
        return out.toByteArray();
    }

    private static RefundEvent decodeValid(JsonNode json) {
        return decodeValid(json.toString());
    }

    private static RefundEvent decodeValid(String json) {
        DecodedEvent result = DECODER.decode(record(json.getBytes(StandardCharsets.UTF_8), KAFKA_TIMESTAMP));
        assertThat(result.rejected()).as(json).isNull();
        return result.event();
    }

    private static RawRecord record(byte[] value, long timestamp) {
        return new RawRecord(TOPIC, PARTITION, OFFSET, timestamp, KEY, value);
    }

    private static byte[] bytes(JsonNode json) {
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json) {
        try {
            return TestEvents.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static BadInput json(String name, Consumer<ObjectNode> change, String expected) {
        return of(name, requested(), change, expected);
    }

    private static BadInput of(String name, ObjectNode base, Consumer<ObjectNode> change, String expected) {
        change.accept(base);
        return bytes(name, bytes(base), expected);
    }

    private static BadInput raw(String name, String json, String expected) {
        return bytes(name, json.getBytes(StandardCharsets.UTF_8), expected);
    }

    private static BadInput bytes(String name, byte[] bytes, String expected) {
        return new BadInput(name, bytes, KAFKA_TIMESTAMP, expected);
    }

    /** The valid event with an extra, ignored field whose string holds exactly these bytes. */
    private static byte[] withBytesInUnknownField(String valid, int... raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"note\":\"a".getBytes(StandardCharsets.UTF_8));
        for (int b : raw) {
            out.write(b);
        }
        out.writeBytes("b\",".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(valid.substring(1).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] utf16WithBom(String valid) {
        byte[] text = valid.getBytes(StandardCharsets.UTF_16BE);
        byte[] withBom = new byte[text.length + 2];
        withBom[0] = (byte) 0xfe;
        withBom[1] = (byte) 0xff;
        System.arraycopy(text, 0, withBom, 2, text.length);
        return withBom;
    }

    private static ObjectNode buyer(ObjectNode event) {
        return (ObjectNode) event.get("buyer");
    }

    private static ObjectNode image(ObjectNode event, int index) {
        return (ObjectNode) event.get("evidence").get(index);
    }

    private static ObjectNode aigc(ObjectNode event) {
        return (ObjectNode) image(event, 0).get("provenance").get("aigc");
    }

    private static ObjectNode c2pa(ObjectNode event) {
        return (ObjectNode) image(event, 1).get("provenance").get("c2pa");
    }
}
