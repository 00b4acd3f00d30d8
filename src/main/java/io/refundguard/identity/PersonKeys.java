package io.refundguard.identity;

import io.refundguard.events.Buyer;
import io.refundguard.events.RefundEvent;

/**
 * The cross-platform person key: the consortium {@code identityHash} when the platform sent it, so
 * one person's refunds on every platform meet in one place; otherwise {@code platform:accountId},
 * which only sees that one account.
 */
public final class PersonKeys {
    private PersonKeys() {}

    public static String of(Buyer buyer, String platform) {
        return buyer.identityHash() != null ? buyer.identityHash() : fallback(platform, buyer.accountId());
    }

    /**
     * The person an event names itself: the buyer of a REFUND_REQUESTED, the person an
     * IDENTITY_ERASED names. Decisions and outcomes name only their request; null for them.
     */
    public static String named(RefundEvent event) {
        return switch (event.type()) {
            case REFUND_REQUESTED -> of(event.buyer(), event.platform());
            case IDENTITY_ERASED -> ofErasure(event);
            default -> null;
        };
    }

    /** The key an IDENTITY_ERASED event names. */
    public static String ofErasure(RefundEvent erasure) {
        return erasure.identityHash() != null
                ? erasure.identityHash()
                : fallback(erasure.platform(), erasure.accountId());
    }

    public static boolean isFallback(String personKey) {
        return personKey.indexOf(':') >= 0;
    }

    private static String fallback(String platform, String accountId) {
        return platform + ":" + accountId;
    }
}
