package io.refundguard.patterns;

import io.refundguard.alerts.AlertRequest;
import io.refundguard.events.Decision;
import io.refundguard.events.Evidence;
import io.refundguard.events.OutcomeVerdict;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.Times;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What a person's history keeps of one refund request: only what the patterns and the alert
 * listing need (about 150 bytes serialised), so months of history stay small.
 *
 * @param imageSignal the request's evidence carried an image signal (reuse, catalog match, AI)
 * @param outcome ground truth learned later, or null
 * @param photoLinks the links of the request's evidence photos that came with one, or null when
 *     none did: an IMAGE_REUSE alert shows a reviewer the earlier photo next to the new one. Kept
 *     here, in the person's history (bounded by its retention), rather than in the photo index,
 *     whose per-photo state must stay small at a billion photos; the only earlier photos a link is
 *     needed for are the same person's.
 */
public record RequestRecord(
        String platform,
        String requestId,
        String accountId,
        long occurredAt,
        int utcOffsetSeconds,
        boolean refundOnly,
        BigDecimal amount,
        String currency,
        boolean imageSignal,
        Decision decision,
        OutcomeVerdict outcome,
        String orderId,
        String merchantId,
        String productId,
        List<PhotoLink> photoLinks) {

    /** An evidence photo's id and the link the platform sent it with. */
    public record PhotoLink(String imageId, String uri) {}

    /** A record without order and product, for tests of patterns that do not look at them. */
    public RequestRecord(String platform, String requestId, String accountId, long occurredAt, int utcOffsetSeconds,
            boolean refundOnly, BigDecimal amount, String currency, boolean imageSignal, Decision decision,
            OutcomeVerdict outcome) {
        this(platform, requestId, accountId, occurredAt, utcOffsetSeconds, refundOnly, amount, currency, imageSignal,
                decision, outcome, null, null, null, null);
    }

    public static RequestRecord of(RefundEvent request, boolean imageSignal) {
        return new RequestRecord(
                request.platform(), request.requestId(), request.buyer().accountId(), request.occurredAt(),
                request.utcOffsetSeconds(), request.isRefundOnly(), request.amount(), request.currency(),
                imageSignal, null, null, request.orderId(), request.merchantId(), request.productId(),
                photoLinks(request.evidence()));
    }

    private static List<PhotoLink> photoLinks(List<Evidence> evidence) {
        List<PhotoLink> links = null;
        for (Evidence image : evidence == null ? List.<Evidence>of() : evidence) {
            if (image.uri() != null && !image.uri().isBlank()) {
                if (links == null) {
                    links = new ArrayList<>(evidence.size());
                }
                links.add(new PhotoLink(image.imageId(), image.uri()));
            }
        }
        return links;
    }

    /** The link of this request's evidence photo {@code imageId}, or null. */
    public String photoLink(String imageId) {
        if (photoLinks == null) {
            return null;
        }
        for (PhotoLink link : photoLinks) {
            if (link.imageId().equals(imageId)) {
                return link.uri();
            }
        }
        return null;
    }

    /** {@code platform:merchantId:productId}, the owner key of that product's listing photos. */
    public String productKey() {
        return platform + ":" + merchantId + ":" + productId;
    }

    /**
     * Suspect money counts toward AMOUNT_TIER: confirmed fraud, or an image signal that no review
     * has cleared.
     */
    public boolean isSuspect() {
        return outcome == OutcomeVerdict.FRAUD || (imageSignal && outcome != OutcomeVerdict.LEGITIMATE);
    }

    public boolean isClearedLegitimate() {
        return outcome == OutcomeVerdict.LEGITIMATE;
    }

    public RecordKey key() {
        return new RecordKey(platform, requestId);
    }

    /** The amount at stake: what was paid out when the platform approved a different sum. */
    public RequestRecord decided(Decision newDecision, BigDecimal paidAmount, String paidCurrency) {
        boolean paidDiffers = newDecision == Decision.APPROVED && paidAmount != null;
        return new RequestRecord(platform, requestId, accountId, occurredAt, utcOffsetSeconds, refundOnly,
                paidDiffers ? paidAmount : amount, paidDiffers ? paidCurrency : currency, imageSignal,
                newDecision, outcome, orderId, merchantId, productId, photoLinks);
    }

    public RequestRecord withOutcome(OutcomeVerdict newOutcome) {
        return new RequestRecord(platform, requestId, accountId, occurredAt, utcOffsetSeconds, refundOnly, amount,
                currency, imageSignal, decision, newOutcome, orderId, merchantId, productId, photoLinks);
    }

    public RequestRecord withImageSignal(boolean signal) {
        return new RequestRecord(platform, requestId, accountId, occurredAt, utcOffsetSeconds, refundOnly, amount,
                currency, signal, decision, outcome, orderId, merchantId, productId, photoLinks);
    }

    public AlertRequest toAlertRequest() {
        return new AlertRequest(platform, requestId, accountId, amount.toPlainString(), currency,
                Times.format(occurredAt, utcOffsetSeconds));
    }

    /** Compact identity of a request inside one person's history. */
    public record RecordKey(String platform, String requestId) {
        @Override
        public String toString() {
            return platform + ":" + requestId;
        }
    }
}
