package io.refundguard.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes an event back in its wire form. The inverse of {@link EventDecoder}: used to dead-letter
 * events that were valid but could not be used, and by tools that generate test traffic.
 */
public final class EventEncoder {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private EventEncoder() {}

    /** A listing photo in its {@code catalog-images} wire form. */
    public static String toJson(CatalogImage c) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("platform", c.platform());
        json.put("merchantId", c.merchantId());
        putIfPresent(json, "merchantIdentityHash", c.merchantIdentityHash());
        json.put("productId", c.productId());
        json.put("imageId", c.imageId());
        putIfPresent(json, "pdq", c.pdq());
        if (c.pdq() != null) {
            json.put("pdqQuality", c.pdqQuality());
        }
        putIfPresent(json, "uri", c.uri());
        if (c.localFeatures() != null) {
            json.set("localFeatures", MAPPER.valueToTree(c.localFeatures()));
        }
        json.put("occurredAt", Times.format(c.occurredAt(), 0));
        if (c.deleted()) {
            json.put("deleted", true);
        }
        return json.toString();
    }

    public static String toJson(RefundEvent e) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("schemaVersion", e.schemaVersion());
        json.put("eventId", e.eventId());
        json.put("type", e.type().name());
        json.put("platform", e.platform());
        putIfPresent(json, "requestId", e.requestId());
        json.put("occurredAt", Times.format(e.occurredAt(), e.utcOffsetSeconds()));
        switch (e.type()) {
            case REFUND_REQUESTED -> {
                json.put("orderId", e.orderId());
                json.put("merchantId", e.merchantId());
                putIfPresent(json, "merchantIdentityHash", e.merchantIdentityHash());
                json.put("productId", e.productId());
                json.put("refundType", e.refundType().name());
                json.put("reason", e.reason().name());
                json.put("amount", e.amount().toPlainString());
                json.put("currency", e.currency());
                json.set("buyer", buyer(e.buyer()));
                ArrayNode evidence = json.putArray("evidence");
                e.evidence().forEach(item -> evidence.add(MAPPER.valueToTree(item)));
            }
            case REFUND_DECIDED -> {
                json.put("decision", e.decision().name());
                json.put("automatic", Boolean.TRUE.equals(e.automatic()));
                if (e.amount() != null) {
                    json.put("amount", e.amount().toPlainString());
                    json.put("currency", e.currency());
                }
            }
            case REFUND_OUTCOME -> {
                json.put("verdict", e.verdict().name());
                putIfPresent(json, "source", e.source());
            }
            case IDENTITY_ERASED -> {
                putIfPresent(json, "identityHash", e.identityHash());
                putIfPresent(json, "accountId", e.accountId());
            }
        }
        return json.toString();
    }

    private static ObjectNode buyer(Buyer b) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("accountId", b.accountId());
        putIfPresent(json, "identityHash", b.identityHash());
        putIfPresent(json, "deviceHash", b.deviceHash());
        putIfPresent(json, "paymentHash", b.paymentHash());
        putIfPresent(json, "addressHash", b.addressHash());
        putIfPresent(json, "phoneHash", b.phoneHash());
        if (b.accountCreatedAt() != null) {
            json.put("accountCreatedAt", Times.formatUtc(b.accountCreatedAt()));
        }
        return json;
    }

    private static void putIfPresent(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }
}
