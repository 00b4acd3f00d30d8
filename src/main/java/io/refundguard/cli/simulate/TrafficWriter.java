package io.refundguard.cli.simulate;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.refundguard.cli.simulate.SimulatedTraffic.Event;
import io.refundguard.cli.simulate.SimulatedTraffic.Evidence;
import io.refundguard.cli.simulate.SimulatedTraffic.Merchant;
import io.refundguard.cli.simulate.SimulatedTraffic.Person;
import io.refundguard.cli.simulate.SimulatedTraffic.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Turns {@link SimulatedTraffic} into contract records: {@code refund-events} in arrival order and
 * {@code catalog-images}, each with the key the contract gives it, and the labels as JSON lines.
 */
public final class TrafficWriter {
    /** Where records go: a file, a topic, both. */
    @FunctionalInterface
    public interface Sink {
        void write(String key, byte[] record) throws IOException;
    }

    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final String[] RO_REASONS = {"DAMAGED", "DEFECTIVE", "MISSING_PARTS", "NOT_RECEIVED"};
    private static final String[] RR_REASONS = {"NOT_AS_DESCRIBED", "DEFECTIVE", "OTHER"};
    private static final String[][] CAMERAS = {
        {"Apple", "iPhone 15 Pro"}, {"HUAWEI", "ALN-AL00"}, {"Xiaomi", "23127PN0CC"}, {"OPPO", "PHZ110"},
        {"vivo", "V2309A"}, {"HONOR", "PGT-AN10"}};

    private final SimulatedTraffic traffic;
    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2048);

    public TrafficWriter(SimulatedTraffic traffic) {
        this.traffic = traffic;
    }

    /** Every listing photo of a product that appears in a request, published before the period. */
    public void writeCatalog(Sink sink) throws IOException {
        for (long key : traffic.catalogKeys()) {
            Merchant merchant = traffic.merchantOfListing(key);
            int product = SimulatedTraffic.productOfListing(key);
            String platform = SimulatedTraffic.PLATFORMS[merchant.platform];
            Photo photo = listingPhoto(merchant, product);
            JsonGenerator json = start();
            json.writeStringField("platform", platform);
            json.writeStringField("merchantId", merchant.id());
            json.writeStringField("productId", merchant.productId(product));
            json.writeStringField("imageId", "main-1");
            photo.writePerceptualFields(json);
            // Published some time in the year before the period, fixed per listing.
            long publishedAgo = SimulatedTraffic.DAY + Math.floorMod(key * 0x9E3779B97F4A7C15L, 365 * SimulatedTraffic.DAY);
            json.writeStringField("occurredAt", time(traffic.settings.start() - publishedAgo));
            sink.write(platform + ":" + merchant.id() + ":" + merchant.productId(product) + ":main-1", finish(json));
        }
    }

    /** Every event, redelivered copies included, in the order they arrive. */
    public void writeEvents(Sink sink) throws IOException {
        for (Event event : traffic.arrivals()) {
            Request r = event.request;
            JsonGenerator json = start();
            String platform = SimulatedTraffic.PLATFORMS[r.platform];
            json.writeNumberField("schemaVersion", 1);
            json.writeStringField("eventId", platform + "-ev-" + event.sequence);
            json.writeStringField("type", "REFUND_" + event.kind.name());
            json.writeStringField("platform", platform);
            json.writeStringField("requestId", r.requestId());
            json.writeStringField("occurredAt", time(event.at));
            switch (event.kind) {
                case REQUESTED -> requestFields(json, r);
                case DECIDED -> {
                    json.writeStringField("decision", event.detail == Event.REJECTED ? "REJECTED" : "APPROVED");
                    json.writeBooleanField("automatic", event.detail == Event.APPROVED_AUTOMATICALLY);
                }
                case OUTCOME -> {
                    boolean fraud = event.detail == Event.FRAUD;
                    json.writeStringField("verdict", fraud ? "FRAUD" : "LEGITIMATE");
                    json.writeStringField("source", fraud ? "merchant-appeal" : "manual-review");
                }
            }
            sink.write(platform + ":" + r.requestId(), finish(json));
        }
    }

    private void requestFields(JsonGenerator json, Request r) throws IOException {
        Merchant merchant = r.merchant;
        json.writeStringField("orderId", r.orderId());
        json.writeStringField("merchantId", merchant.id());
        if (merchant.withIdentityHash) {
            json.writeStringField("merchantIdentityHash", traffic.merchantIdentityHash(merchant));
        }
        json.writeStringField("productId", merchant.productId(r.product));
        json.writeStringField("refundType", r.refundOnly ? "REFUND_ONLY" : "RETURN_AND_REFUND");
        json.writeStringField("reason", r.refundOnly ? RO_REASONS[r.reason] : RR_REASONS[r.reason]);
        json.writeStringField("amount", BigDecimal.valueOf(r.amountCents, 2).toPlainString());
        json.writeStringField("currency", "CNY");
        Person person = r.person;
        json.writeObjectFieldStart("buyer");
        json.writeStringField("accountId", person.accountId(r.platform));
        hash(json, "identityHash", person.identity);
        hash(json, "deviceHash", person.device);
        hash(json, "paymentHash", person.payment);
        hash(json, "addressHash", person.address);
        hash(json, "phoneHash", person.phone);
        if (person.accountCreatedAt != Long.MIN_VALUE) {
            json.writeStringField("accountCreatedAt", time(person.accountCreatedAt));
        }
        json.writeEndObject();
        json.writeArrayFieldStart("evidence");
        int photos = traffic.settings.photosPerRequest();
        for (int i = 0; i < photos; i++) {
            Evidence planted = i == 0 ? r.evidence : null;
            Photo photo = planted == null ? traffic.photos.original(ownPhotoId(r, i)) : plantedPhoto(planted);
            json.writeStartObject();
            json.writeStringField("imageId", "img-" + r.requestId() + "-" + (i + 1));
            json.writeStringField("sha256", photo.sha256());
            photo.writePerceptualFields(json);
            if (planted != null && planted.generated()) {
                json.writeObjectFieldStart("provenance");
                json.writeObjectFieldStart("aigc");
                json.writeStringField("label", "1");
                json.writeStringField("contentProducer", "001191110108MA01SIM" + (r.seq % 10_000_000));
                json.writeStringField("produceId", "gen-" + r.seq);
                json.writeEndObject();
                json.writeEndObject();
            } else if (planted == null && (r.seq + i) % 4 == 0) {
                // What a phone camera leaves in the file: make and model, nothing generative.
                String[] camera = CAMERAS[(int) ((r.seq * 31L + i) % CAMERAS.length)];
                json.writeObjectFieldStart("provenance");
                json.writeStringField("cameraMake", camera[0]);
                json.writeStringField("cameraModel", camera[1]);
                json.writeEndObject();
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private void hash(JsonGenerator json, String field, long number) throws IOException {
        if (number != 0) {
            json.writeStringField(field, traffic.hashHex(number));
        }
    }

    private static long ownPhotoId(Request r, int index) {
        return (long) r.seq * 32 + index;
    }

    private Photo plantedPhoto(Evidence planted) {
        long id = (1L << 40) + planted.photoId();
        if (planted.listingMerchant() != null) {
            return traffic.photos.edited(listingPhoto(planted.listingMerchant(), planted.listingProduct()),
                    planted.bits(), id);
        }
        Photo base = traffic.photos.original((1L << 40) + planted.basePhoto());
        return planted.bits() < 0 ? base : traffic.photos.edited(base, planted.bits(), id);
    }

    private Photo listingPhoto(Merchant merchant, int product) {
        return traffic.photos.original((2L << 40) + SimulatedTraffic.listingKey(merchant, product));
    }

    private JsonGenerator start() throws IOException {
        buffer.reset();
        JsonGenerator json = factory.createGenerator(buffer, JsonEncoding.UTF8);
        json.writeStartObject();
        return json;
    }

    private byte[] finish(JsonGenerator json) throws IOException {
        json.writeEndObject();
        json.close();
        return buffer.toByteArray();
    }

    /** {@code 2026-10-01T20:15:30.123+08:00}: the contract's ISO-8601 with an offset, always with millis. */
    static String time(long millis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L),
                (int) Math.floorMod(millis, 1000L) * 1_000_000, CHINA);
        StringBuilder s = new StringBuilder(29);
        s.append(t.getYear()).append('-');
        two(s, t.getMonthValue()).append('-');
        two(s, t.getDayOfMonth()).append('T');
        two(s, t.getHour()).append(':');
        two(s, t.getMinute()).append(':');
        two(s, t.getSecond()).append('.');
        int ms = t.getNano() / 1_000_000;
        s.append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
        return s.append("+08:00").toString();
    }

    private static StringBuilder two(StringBuilder s, int value) {
        return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** The labels as JSON lines. */
    public static void writeLabels(List<Label> labels, Writer out) throws IOException {
        JsonFactory factory = new JsonFactory();
        for (Label label : labels) {
            JsonGenerator json = factory.createGenerator(out);
            json.writeStartObject();
            json.writeStringField("truth", label.truth());
            json.writeStringField("pattern", label.pattern());
            json.writeObjectFieldStart("subject");
            json.writeStringField("kind", label.subjectKind());
            if (label.subjectKey() != null) {
                json.writeStringField("key", label.subjectKey());
            }
            json.writeEndObject();
            json.writeArrayFieldStart("requests");
            for (String request : label.requests()) {
                json.writeString(request);
            }
            json.writeEndArray();
            json.writeStringField("what", label.what());
            json.writeEndObject();
            json.flush();
            out.write('\n');
        }
    }
}
