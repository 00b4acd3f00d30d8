package io.refundguard.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Locale;

/** Builds contract-shaped events for tests, as JSON text the way a platform would send them. */
public final class TestEvents {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-01T10:00:00.000+08:00");

    private TestEvents() {}

    /** A deterministic 64-hex value standing in for an HMAC, derived from a readable name. */
    public static String hash(String name) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes());
            return HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The {@code merchantIdentityHash} of a seller with a readable name. */
    public static String sellerHash(String name) {
        return hash("seller:" + name);
    }

    public static String at(Duration afterT0) {
        return T0.plus(afterT0).toString();
    }

    public static Request request(String platform, String requestId) {
        return new Request(platform, requestId);
    }

    public static ObjectNode base(String eventId, String type, String platform, String requestId, String occurredAt) {
        ObjectNode json = JSON.createObjectNode();
        json.put("schemaVersion", 1);
        json.put("eventId", eventId);
        json.put("type", type);
        json.put("platform", platform);
        if (requestId != null) {
            json.put("requestId", requestId);
        }
        json.put("occurredAt", occurredAt);
        return json;
    }

    public static String outcome(String platform, String requestId, String verdict, Duration after) {
        ObjectNode json = base(platform + "-" + requestId + "-outcome", "REFUND_OUTCOME", platform, requestId, at(after));
        json.put("verdict", verdict);
        json.put("source", "manual-review");
        return json.toString();
    }

    public static String decided(String platform, String requestId, String decision, boolean automatic, Duration after) {
        ObjectNode json = base(platform + "-" + requestId + "-decided", "REFUND_DECIDED", platform, requestId, at(after));
        json.put("decision", decision);
        json.put("automatic", automatic);
        return json.toString();
    }

    public static String erased(String platform, String identityHash, Duration after) {
        ObjectNode json = base("erase-" + identityHash.substring(0, 8) + "-" + after.toMillis(), "IDENTITY_ERASED", platform, null, at(after));
        json.put("identityHash", identityHash);
        return json.toString();
    }

    /** A REFUND_REQUESTED builder with sensible defaults. */
    public static final class Request {
        private final ObjectNode json;
        private final ObjectNode buyer;
        private final ArrayNode evidence;

        private Request(String platform, String requestId) {
            json = base(platform + "-" + requestId, "REFUND_REQUESTED", platform, requestId, T0.toString());
            json.put("orderId", "O-" + requestId);
            json.put("merchantId", "M1");
            json.put("productId", "P1");
            json.put("refundType", "REFUND_ONLY");
            json.put("reason", "DAMAGED");
            json.put("amount", "129.00");
            json.put("currency", "CNY");
            buyer = json.putObject("buyer");
            buyer.put("accountId", "acct-" + requestId);
            evidence = json.putArray("evidence");
        }

        public Request eventId(String eventId) {
            json.put("eventId", eventId);
            return this;
        }

        public Request after(Duration afterT0) {
            json.put("occurredAt", at(afterT0));
            return this;
        }

        public Request person(String name) {
            buyer.put("identityHash", hash("person:" + name));
            return this;
        }

        public Request account(String accountId) {
            buyer.put("accountId", accountId);
            return this;
        }

        public Request device(String name) {
            buyer.put("deviceHash", hash("device:" + name));
            return this;
        }

        public Request payment(String name) {
            buyer.put("paymentHash", hash("payment:" + name));
            return this;
        }

        public Request address(String name) {
            buyer.put("addressHash", hash("address:" + name));
            return this;
        }

        public Request phone(String name) {
            buyer.put("phoneHash", hash("phone:" + name));
            return this;
        }

        public Request amount(String amount) {
            json.put("amount", amount);
            return this;
        }

        public Request currency(String currency) {
            json.put("currency", currency.toUpperCase(Locale.ROOT));
            return this;
        }

        public Request returnAndRefund() {
            json.put("refundType", "RETURN_AND_REFUND");
            return this;
        }

        /** The seller across platforms: its {@code merchantIdentityHash}, derived from a readable name. */
        public Request seller(String name) {
            json.put("merchantIdentityHash", sellerHash(name));
            return this;
        }

        public Request merchant(String merchantId, String productId) {
            json.put("merchantId", merchantId);
            json.put("productId", productId);
            return this;
        }

        public Request image(String imageId, String pdqHex, int quality) {
            ObjectNode image = evidence.addObject();
            image.put("imageId", imageId);
            image.put("pdq", pdqHex);
            image.put("pdqQuality", quality);
            return this;
        }

        public ObjectNode node() {
            return json;
        }

        public String json() {
            return json.toString();
        }
    }
}
