package io.refundguard.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes of one input record into a validated event, or into a {@link DeadLetter} that
 * says why not. It never throws: whatever arrives, the job keeps running and nothing is lost.
 * Unknown fields are ignored (the contract's forward compatibility); everything the contract
 * defines is checked strictly.
 */
public final class EventDecoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SOURCE_TYPES = 64;

    private final InputLimits limits;
    private transient ObjectMapper mapper;

    public EventDecoder(InputLimits limits) {
        this.limits = limits;
    }

    public DecodedEvent decode(RawRecord raw) {
        try {
            return DecodedEvent.ok(parseEvent(raw));
        } catch (InvalidRecordException e) {
            return DecodedEvent.rejected(deadLetter(raw, e.getMessage()));
        } catch (RuntimeException e) {
            // A bug of ours must not stop the job either; the record is kept for a replay.
            return DecodedEvent.rejected(deadLetter(raw, "internal error while decoding: " + e));
        }
    }

    public DecodedCatalogImage decodeCatalogImage(RawRecord raw) {
        try {
            return DecodedCatalogImage.ok(parseCatalogImage(raw));
        } catch (InvalidRecordException e) {
            return DecodedCatalogImage.rejected(deadLetter(raw, e.getMessage()));
        } catch (RuntimeException e) {
            return DecodedCatalogImage.rejected(deadLetter(raw, "internal error while decoding: " + e));
        }
    }

    /**
     * A record's bytes as JSON under the rules every input obeys (size limit, strict UTF-8, no
     * duplicate keys, nesting depth), for inputs decoded elsewhere, such as rule sets.
     *
     * @throws IllegalArgumentException with the one-line reason
     */
    public JsonNode readJson(byte[] value) {
        try {
            return readTree(value);
        } catch (InvalidRecordException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static DeadLetter deadLetter(RawRecord raw, String reason) {
        return DeadLetter.of(raw.topic(), raw.partition(), raw.offset(), raw.timestamp(), raw.key(), raw.value(), reason,
                System.currentTimeMillis());
    }

    private RefundEvent parseEvent(RawRecord raw) throws InvalidRecordException {
        JsonFields json = JsonFields.root(readTree(raw.value()));
        int schemaVersion = json.requiredInt("schemaVersion");
        if (schemaVersion != 1) {
            throw json.invalid("schemaVersion", "unsupported version " + schemaVersion + "; this detector reads 1");
        }
        String eventId = json.requiredId("eventId");
        EventType type = json.requiredEnum("type", EventType.class);
        String platform = memberPlatform(json);
        checkTopicOf(json, platform, raw);
        String requestId = type.isRequestScoped() ? json.requiredId("requestId") : json.optionalId("requestId");
        OffsetDateTime occurred = json.requiredTimestamp("occurredAt");
        checkNotFarAhead(json, occurred, raw.timestamp());
        long occurredAt = occurred.toInstant().toEpochMilli();
        int offset = occurred.getOffset().getTotalSeconds();

        return switch (type) {
            case REFUND_REQUESTED -> {
                String currency = json.requiredCurrency("currency");
                yield new RefundEvent(
                        schemaVersion, eventId, type, platform, requestId, occurredAt, offset,
                        json.requiredId("orderId"),
                        json.requiredId("merchantId"),
                        json.optionalHex256("merchantIdentityHash"),
                        json.requiredId("productId"),
                        json.requiredEnum("refundType", RefundType.class),
                        json.requiredEnum("reason", RefundReason.class),
                        json.requiredAmount("amount", currency, limits.maxAmount()),
                        currency,
                        parseBuyer(json.requiredObject("buyer")),
                        parseEvidence(json),
                        null, null, null, null, null, null);
            }
            case REFUND_DECIDED -> {
                // A currency without an amount says nothing, but a malformed one still means a
                // broken producer, and the contract has it told, not silently ignored.
                String currency =
                        json.has("amount") || json.has("currency") ? json.requiredCurrency("currency") : null;
                BigDecimal amount =
                        json.has("amount") ? json.requiredAmount("amount", currency, limits.maxAmount()) : null;
                Boolean automatic = json.optionalBoolean("automatic");
                yield new RefundEvent(
                        schemaVersion, eventId, type, platform, requestId, occurredAt, offset,
                        null, null, null, null, null, null, amount, amount == null ? null : currency, null, null,
                        json.requiredEnum("decision", Decision.class),
                        automatic != null && automatic,
                        null, null, null, null);
            }
            case REFUND_OUTCOME -> new RefundEvent(
                    schemaVersion, eventId, type, platform, requestId, occurredAt, offset,
                    null, null, null, null, null, null, null, null, null, null, null, null,
                    json.requiredEnum("verdict", OutcomeVerdict.class),
                    json.optionalText("source"),
                    null, null);
            case IDENTITY_ERASED -> {
                String identityHash = json.optionalHex256("identityHash");
                String accountId = json.optionalId("accountId");
                if (identityHash == null && accountId == null) {
                    throw new InvalidRecordException("identityHash, accountId: IDENTITY_ERASED needs identityHash,"
                            + " or platform and accountId; both are missing");
                }
                yield new RefundEvent(
                        schemaVersion, eventId, type, platform, requestId, occurredAt, offset,
                        null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        identityHash, accountId);
            }
        };
    }

    /**
     * A platform code names output topics ({@code refund-verdicts.<platform>}): an unknown one would
     * make the sink create topics at will, or fail where creating them is denied.
     */
    private String memberPlatform(JsonFields json) throws InvalidRecordException {
        String platform = json.requiredPlatform("platform");
        if (!limits.platforms().contains(platform)) {
            throw json.invalid("platform", "\"" + platform + "\" is not a member platform (input.platforms: "
                    + String.join(", ", limits.platforms()) + ")");
        }
        return platform;
    }

    /**
     * With per-platform input topics, a topic's ACL names the one principal that may write it, so
     * the topic says which platform published the record; a record claiming another platform is
     * someone publishing in that platform's name. Files (partition -1) carry no such proof.
     */
    private void checkTopicOf(JsonFields json, String platform, RawRecord raw) throws InvalidRecordException {
        if (!limits.perPlatformTopics() || raw.partition() < 0) {
            return;
        }
        String topic = raw.topic();
        if (topic == null || !topic.endsWith("." + platform)) {
            throw json.invalid("platform", "\"" + platform + "\" arrived on topic " + topic
                    + ", which carries another platform's events (input.perPlatformTopics)");
        }
    }

    private void checkNotFarAhead(JsonFields json, OffsetDateTime occurred, long recordTimestamp)
            throws InvalidRecordException {
        // Checked against the record's own Kafka timestamp, not the wall clock, so a replay of
        // old data decides exactly as the live run did. Files carry no timestamp (-1).
        if (recordTimestamp <= 0) {
            return;
        }
        long ahead = occurred.toInstant().toEpochMilli() - recordTimestamp;
        if (ahead > limits.maxFutureSkew().toMillis()) {
            throw json.invalid(
                    "occurredAt",
                    "is " + (ahead / 1000) + " s after the record's Kafka timestamp; at most "
                            + limits.maxFutureSkew().toSeconds() + " s is accepted");
        }
    }

    private static Buyer parseBuyer(JsonFields buyer) throws InvalidRecordException {
        OffsetDateTime created = buyer.optionalTimestamp("accountCreatedAt");
        return new Buyer(
                buyer.requiredId("accountId"),
                buyer.optionalHex256("identityHash"),
                buyer.optionalHex256("deviceHash"),
                buyer.optionalHex256("paymentHash"),
                buyer.optionalHex256("addressHash"),
                buyer.optionalHex256("phoneHash"),
                created == null ? null : created.toInstant().toEpochMilli());
    }

    private List<Evidence> parseEvidence(JsonFields json) throws InvalidRecordException {
        List<JsonFields> items = json.objectArray("evidence", limits.maxEvidence());
        List<Evidence> evidence = new ArrayList<>(items.size());
        for (JsonFields item : items) {
            String pdq = item.optionalHex256("pdq");
            Integer quality = item.optionalIntInRange("pdqQuality", 0, 100);
            if (pdq != null && quality == null) {
                throw item.missing("pdqQuality");
            }
            JsonFields provenance = item.optionalObject("provenance");
            JsonFields features = item.optionalObject("localFeatures");
            evidence.add(new Evidence(
                    item.requiredId("imageId"),
                    item.optionalHex256("sha256"),
                    item.optionalText("uri"),
                    pdq,
                    pdq == null ? null : quality,
                    provenance == null ? null : parseProvenance(provenance),
                    features == null ? null : parseLocalFeatures(features),
                    // Only the detector says why it could not fetch an image; a platform cannot.
                    null));
        }
        return List.copyOf(evidence);
    }

    /**
     * The local features of a photo as {@code fingerprint} writes them; every size and coordinate is
     * checked before anything compares with them, and a fault names its field, e.g.
     * {@code evidence[0].localFeatures.keypoints: expected a multiple of 23 bytes, got 37}.
     */
    private static LocalFeatures parseLocalFeatures(JsonFields f) throws InvalidRecordException {
        int version = f.requiredInt("version");
        int width = f.requiredInt("width");
        int height = f.requiredInt("height");
        int thumbnailWidth = f.requiredInt("thumbnailWidth");
        int thumbnailHeight = f.requiredInt("thumbnailHeight");
        byte[] keypoints = f.requiredBase64("keypoints", LocalFeatures.MAX_KEYPOINTS * LocalFeatures.KEYPOINT_BYTES);
        byte[] thumbnail = f.requiredBase64("thumbnail", LocalFeatures.MAX_THUMBNAIL_BYTES);
        try {
            return LocalFeatures.of(version, width, height, keypoints, thumbnailWidth, thumbnailHeight, thumbnail);
        } catch (InvalidLocalFeaturesException e) {
            throw f.invalid(e.field(), e.reason());
        }
    }

    private static Provenance parseProvenance(JsonFields p) throws InvalidRecordException {
        JsonFields aigc = p.optionalObject("aigc");
        JsonFields c2pa = p.optionalObject("c2pa");
        return new Provenance(
                aigc == null ? null : parseAigc(aigc),
                c2pa == null ? null : new C2paInfo(
                        c2pa.optionalBoolean("present"),
                        c2pa.optionalTextArray("digitalSourceTypes", MAX_SOURCE_TYPES),
                        c2pa.optionalText("claimGenerator"),
                        c2pa.optionalBoolean("stripped"),
                        c2pa.optionalText("remoteManifest")),
                p.optionalText("iptcDigitalSourceType"),
                p.optionalText("software"),
                p.optionalBoolean("generatorParameters"),
                p.optionalText("cameraMake"),
                p.optionalText("cameraModel"),
                p.optionalText("capturedAt"),
                p.optionalTextArray("incomplete", Provenance.MAX_INCOMPLETE));
    }

    private static AigcLabel parseAigc(JsonFields aigc) throws InvalidRecordException {
        String label = aigc.optionalText("label");
        if (label != null && !(label.equals("1") || label.equals("2") || label.equals("3"))) {
            throw aigc.invalid("label", "expected \"1\", \"2\" or \"3\" (GB 45438-2025), got \""
                    + JsonFields.abbreviate(label) + "\"");
        }
        return new AigcLabel(
                label,
                aigc.optionalText("contentProducer"),
                aigc.optionalText("produceId"),
                aigc.optionalText("contentPropagator"),
                aigc.optionalText("propagateId"));
    }

    private CatalogImage parseCatalogImage(RawRecord raw) throws InvalidRecordException {
        if (raw.value() == null && raw.key() != null) {
            return tombstoneOf(raw);
        }
        JsonFields json = JsonFields.root(readTree(raw.value()));
        boolean deleted = Boolean.TRUE.equals(json.optionalBoolean("deleted"));
        String uri = json.optionalText("uri");
        String pdq = json.optionalHex256("pdq");
        // A photo given only by link is fingerprinted by the detector, like evidence.
        if (!deleted && pdq == null && uri == null) {
            throw json.missing("pdq");
        }
        Integer quality = json.optionalIntInRange("pdqQuality", 0, 100);
        if (!deleted && pdq != null && quality == null) {
            throw json.missing("pdqQuality");
        }
        JsonFields features = json.optionalObject("localFeatures");
        return new CatalogImage(
                memberPlatform(json),
                json.requiredId("merchantId"),
                json.optionalHex256("merchantIdentityHash"),
                json.requiredId("productId"),
                json.requiredId("imageId"),
                pdq,
                quality == null ? 0 : quality,
                json.requiredTimestamp("occurredAt").toInstant().toEpochMilli(),
                deleted,
                uri,
                features == null || deleted ? null : parseLocalFeatures(features),
                null);
    }

    /**
     * Log compaction deletes with a null value under the record's key. The key is
     * {@code platform:merchantId:productId:imageId}; one with more colons cannot be split safely.
     */
    private static CatalogImage tombstoneOf(RawRecord raw) throws InvalidRecordException {
        String key = new String(raw.key(), java.nio.charset.StandardCharsets.UTF_8);
        String[] parts = key.split(":", -1);
        if (parts.length != 4 || java.util.Arrays.stream(parts).anyMatch(String::isEmpty)) {
            throw new InvalidRecordException("tombstone key \"" + JsonFields.abbreviate(key)
                    + "\": expected platform:merchantId:productId:imageId");
        }
        long at = raw.timestamp() > 0 ? raw.timestamp() : 0;
        return new CatalogImage(parts[0], parts[1], parts[2], parts[3], null, 0, at, true);
    }

    private JsonNode readTree(byte[] value) throws InvalidRecordException {
        if (value == null || value.length == 0) {
            throw new InvalidRecordException("empty record");
        }
        if (value.length > limits.maxRecordBytes()) {
            throw new InvalidRecordException(
                    "record is " + value.length + " bytes; the maximum is " + limits.maxRecordBytes());
        }
        String text = strictUtf8(value);
        try {
            JsonNode tree = mapper().readTree(text);
            if (tree == null || tree.isMissingNode()) {
                throw new InvalidRecordException("empty record");
            }
            return tree;
        } catch (JacksonException e) {
            // Reading from a String, Jackson's only checked failure is a parse error.
            throw new InvalidRecordException("not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
    }

    /**
     * JSON on the wire is UTF-8 (RFC 8259). Jackson alone would guess UTF-16/32 from the first
     * bytes and pass overlong or surrogate encodings inside strings it does not read closely;
     * either way producer and detector could read different text from the same bytes.
     */
    private static String strictUtf8(byte[] value) throws InvalidRecordException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value);
        // UTF-8 never decodes to more UTF-16 units than it has bytes.
        CharBuffer out = CharBuffer.allocate(value.length);
        CoderResult result = utf8.decode(in, out, true);
        if (!result.isError()) {
            result = utf8.flush(out);
        }
        if (result.isError()) {
            throw new InvalidRecordException("not valid UTF-8: malformed bytes at byte offset " + in.position());
        }
        out.flip();
        // RFC 8259 lets a parser ignore a UTF-8 byte order mark; the byte parser always did.
        if (out.hasRemaining() && out.get(0) == '\uFEFF') {
            out.position(1);
        }
        return out.toString();
    }

    private ObjectMapper mapper() {
        if (mapper == null) {
            JsonMapper json = JsonMapper.builder()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    // Two values for one key would let a producer and the detector read
                    // different amounts from the same bytes.
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                    .build();
            json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(limits.maxNestingDepth())
                    .maxStringLength(limits.maxRecordBytes())
                    .maxNumberLength(64)
                    .build());
            mapper = json;
        }
        return mapper;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }
}
