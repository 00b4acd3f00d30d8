package io.refundguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.refundguard.events.Sha256;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deterministic multi-platform refund traffic with known fraud planted in it, for demos, the
 * replay backtest and throughput measurements. Ground truth comes with it: who must be flagged,
 * and who must not.
 *
 * <p>Kinds of buyer: ordinary buyers (at most two refund-only requests in the whole period),
 * heavy honest returners (many return-and-refund requests), serial refunders (five to nine
 * refund-only requests over two or three platforms within 25 days), and serial refunders whose
 * requests are later confirmed fraud above the first legal tier. A share of events is delivered
 * twice, and a few records are malformed.
 */
public final class SampleTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PLATFORMS = {"tb", "jd", "pdd", "dy"};
    private static final long DAY = 86_400_000L;
    /** The default start of a generated period, fixed so tests and benchmarks are reproducible. */
    public static final long FIXED_START = OffsetDateTime.parse("2026-10-01T00:00:00+08:00").toInstant().toEpochMilli();
    public static final long PERIOD_DAYS = 60;
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    /** What was generated and what a correct detector must conclude from it. */
    public record GroundTruth(long events, long requests, long duplicates, long badRecords,
            Set<String> serialRefunders, Set<String> fraudAboveTier) {}

    private record Spec(long at, String json) {}

    private final Random random;
    private final int persons;
    private final long start;
    private final List<Spec> specs = new ArrayList<>();
    private final Set<String> serial = new TreeSet<>();
    private final Set<String> fraudAboveTier = new TreeSet<>();
    private long requestSequence;

    public SampleTraffic(long seed, int persons) {
        this(seed, persons, FIXED_START);
    }

    /** @param start epoch millis of the first day of the 60-day period */
    public SampleTraffic(long seed, int persons, long start) {
        this.random = new Random(seed);
        this.persons = persons;
        this.start = start;
    }

    /** Writes the traffic as JSON lines, roughly in event-time order, and returns the ground truth. */
    public GroundTruth write(BufferedWriter out) throws IOException {
        for (int p = 0; p < persons; p++) {
            int roll = random.nextInt(1000);
            if (roll < 20) {
                serialRefunder(p, roll < 8);
            } else if (roll < 60) {
                heavyReturner(p);
            } else {
                ordinaryBuyer(p);
            }
        }
        specs.sort(Comparator.comparingLong(Spec::at));
        long duplicates = 0;
        long bad = 0;
        for (int i = 0; i < specs.size(); i++) {
            Spec spec = specs.get(i);
            out.write(spec.json());
            out.newLine();
            // Redelivered a little later, as a retrying producer would.
            if (random.nextInt(100) < 3) {
                out.write(spec.json());
                out.newLine();
                duplicates++;
            }
            if (random.nextInt(1000) < 1) {
                out.write(badRecord());
                out.newLine();
                bad++;
            }
        }
        return new GroundTruth(specs.size(), requestSequence, duplicates, bad, serial, fraudAboveTier);
    }

    private void ordinaryBuyer(int p) {
        Buyer buyer = buyer(p, random.nextInt(10) == 0);
        int refundOnly = random.nextInt(3);
        int returns = random.nextInt(3);
        for (int i = 0; i < refundOnly + returns; i++) {
            long at = start + (long) (random.nextDouble() * PERIOD_DAYS * DAY);
            request(buyer, pick(buyer.platforms), at, i < refundOnly, amount(20, 400), false);
        }
    }

    private void heavyReturner(int p) {
        Buyer buyer = buyer(p, false);
        long base = start + (long) (random.nextDouble() * (PERIOD_DAYS - 30) * DAY);
        int returns = 8 + random.nextInt(8);
        for (int i = 0; i < returns; i++) {
            request(buyer, pick(buyer.platforms), base + (long) (random.nextDouble() * 30 * DAY), false, amount(50, 900), false);
        }
        if (random.nextBoolean()) {
            request(buyer, pick(buyer.platforms), base + (long) (random.nextDouble() * 30 * DAY), true, amount(20, 200), false);
        }
    }

    private void serialRefunder(int p, boolean confirmedFraud) {
        Buyer buyer = buyer(p, false);
        buyer.platforms = new String[] {"tb", "jd", "pdd"};
        serial.add(buyer.identityHash);
        long base = start + (long) (random.nextDouble() * (PERIOD_DAYS - 25) * DAY);
        int count = 5 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            long at = base + (long) (i * (25.0 / count) * DAY) + random.nextInt(3_600_000);
            // Each gets 700-1,000 CNY, so four confirmed requests pass 3,000.
            request(buyer, buyer.platforms[i % buyer.platforms.length], at, true, amount(700, 1000), confirmedFraud);
        }
        if (confirmedFraud) {
            fraudAboveTier.add(buyer.identityHash);
        }
    }

    private void request(Buyer buyer, String platform, long at, boolean refundOnly, BigDecimal amount, boolean fraud) {
        String requestId = "R" + (++requestSequence);
        ObjectNode json = envelope(platform + "-" + requestId + "-req", "REFUND_REQUESTED", platform, requestId, at);
        json.put("orderId", "O" + requestSequence);
        json.put("merchantId", "M" + random.nextInt(500));
        json.put("productId", "P" + random.nextInt(5000));
        json.put("refundType", refundOnly ? "REFUND_ONLY" : "RETURN_AND_REFUND");
        json.put("reason", refundOnly ? "DAMAGED" : "NOT_AS_DESCRIBED");
        json.put("amount", amount.toPlainString());
        json.put("currency", "CNY");
        ObjectNode b = json.putObject("buyer");
        b.put("accountId", platform + "-acct-" + buyer.index);
        if (buyer.identityHash != null) {
            b.put("identityHash", buyer.identityHash);
        }
        b.put("deviceHash", buyer.deviceHash);
        json.putArray("evidence");
        specs.add(new Spec(at, json.toString()));

        long decidedAt = at + 600_000 + random.nextInt(3_600_000);
        ObjectNode decided = envelope(platform + "-" + requestId + "-dec", "REFUND_DECIDED", platform, requestId, decidedAt);
        decided.put("decision", "APPROVED");
        decided.put("automatic", random.nextInt(10) < 8);
        specs.add(new Spec(decidedAt, decided.toString()));

        if (fraud) {
            long outcomeAt = at + 2 * DAY + random.nextInt((int) DAY);
            ObjectNode outcome = envelope(platform + "-" + requestId + "-out", "REFUND_OUTCOME", platform, requestId, outcomeAt);
            outcome.put("verdict", "FRAUD");
            outcome.put("source", "merchant-appeal");
            specs.add(new Spec(outcomeAt, outcome.toString()));
        }
    }

    private ObjectNode envelope(String eventId, String type, String platform, String requestId, long at) {
        ObjectNode json = JSON.createObjectNode();
        json.put("schemaVersion", 1);
        json.put("eventId", eventId);
        json.put("type", type);
        json.put("platform", platform);
        json.put("requestId", requestId);
        json.put("occurredAt", OffsetDateTime.ofInstant(Instant.ofEpochMilli(at), CHINA).toString());
        return json;
    }

    private String badRecord() {
        return switch (random.nextInt(5)) {
            case 0 -> "{\"schemaVersion\":1,\"eventId\":\"broken";
            case 1 -> "[1,2,3]";
            case 2 -> "{\"schemaVersion\":1,\"eventId\":\"x" + random.nextInt() + "\",\"type\":\"REFUND_TELEPORTED\"}";
            case 3 -> "{\"schemaVersion\":1,\"eventId\":\"y" + random.nextInt()
                    + "\",\"type\":\"REFUND_OUTCOME\",\"platform\":\"tb\",\"requestId\":\"R1\",\"occurredAt\":\"yesterday\",\"verdict\":\"FRAUD\"}";
            default -> "not json at all";
        };
    }

    private final class Buyer {
        final int index;
        final String identityHash;
        final String deviceHash;
        String[] platforms;

        Buyer(int index, boolean withoutIdentity) {
            this.index = index;
            this.identityHash = withoutIdentity ? null : hmac("person-" + index);
            this.deviceHash = hmac("device-" + index);
            this.platforms = random.nextInt(10) == 0
                    ? new String[] {PLATFORMS[random.nextInt(4)], PLATFORMS[random.nextInt(4)]}
                    : new String[] {PLATFORMS[random.nextInt(4)]};
        }
    }

    private Buyer buyer(int index, boolean withoutIdentity) {
        return new Buyer(index, withoutIdentity);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private BigDecimal amount(int min, int max) {
        return BigDecimal.valueOf(min * 100L + random.nextInt((max - min) * 100)).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY);
    }

    /** Stands in for the consortium HMAC: a SHA-256 of a name, 64 hex characters. */
    static String hmac(String name) {
        return Sha256.hex(name);
    }
}
