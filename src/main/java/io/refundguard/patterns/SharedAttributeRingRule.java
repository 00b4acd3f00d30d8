package io.refundguard.patterns;

import io.refundguard.events.Buyer;
import io.refundguard.events.EventType;
import io.refundguard.events.RefundEvent;
import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * SHARED_ATTRIBUTE_RING: at least {@code minPersons} distinct persons file refund-only requests
 * sharing one link attribute within {@code window} (event time, sliding). HIGH, CRITICAL from
 * {@code criticalPersons}.
 *
 * <p>The floor of 4 persons is what keeps households quiet: two or three people at one address, or
 * a couple sharing a phone or a card, are normal; four or more persons refunding without returns
 * through one device or one card within a month is how an account farm looks.
 *
 * @param attributes the link attributes that can form a ring, among {@link #KINDS}; empty turns
 *     the pattern off
 */
public record SharedAttributeRingRule(Duration window, int minPersons, int criticalPersons, List<String> attributes)
        implements Serializable {
    /** The buyer's link attributes, as named in configuration. */
    public static final List<String> KINDS = List.of("device", "payment", "address", "phone");

    public SharedAttributeRingRule {
        Check.positive("window", window);
        // One person is not a ring, and two would flag every couple.
        Check.atLeast("minPersons", minPersons, 2);
        Check.atLeast("criticalPersons", criticalPersons, minPersons);
        Check.present("attributes", attributes);
        for (String kind : attributes) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("attributes: expected some of " + String.join(", ", KINDS)
                        + ", got \"" + kind + "\"");
            }
        }
        attributes = List.copyOf(new LinkedHashSet<>(attributes));
    }

    /** The values of {@code config/refundguard.yaml}. */
    public static SharedAttributeRingRule defaults() {
        return new SharedAttributeRingRule(Duration.ofDays(30), 4, 7, List.of("device", "payment", "address"));
    }

    /**
     * The configured attributes a request can form a ring through, in configuration order: none
     * for anything but a refund-only request, since a buyer who sends the goods back takes nothing
     * a ring could profit from.
     */
    public List<AttributeKey> attributesOf(RefundEvent event) {
        return ofKinds(event, attributes);
    }

    /**
     * Every link attribute a refund-only request carries, whatever the rules name: what the ring
     * fan-out sends, so the number of ring assessments is fixed by the request alone.
     */
    public static List<AttributeKey> allAttributesOf(RefundEvent event) {
        return ofKinds(event, KINDS);
    }

    private static List<AttributeKey> ofKinds(RefundEvent event, List<String> kinds) {
        if (event == null || event.type() != EventType.REFUND_REQUESTED || !event.isRefundOnly() || event.buyer() == null) {
            return List.of();
        }
        List<AttributeKey> keys = new ArrayList<>(kinds.size());
        for (String kind : kinds) {
            String hash = hashOf(event.buyer(), kind);
            if (hash != null && !hash.isBlank()) {
                keys.add(new AttributeKey(kind, hash));
            }
        }
        return keys;
    }

    private static String hashOf(Buyer buyer, String kind) {
        return switch (kind) {
            case "device" -> buyer.deviceHash();
            case "payment" -> buyer.paymentHash();
            case "address" -> buyer.addressHash();
            case "phone" -> buyer.phoneHash();
            default -> throw new IllegalStateException("unchecked attribute kind " + kind);
        };
    }
}
