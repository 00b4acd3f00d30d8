package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.settings.Check;
import java.io.Serializable;

/**
 * CATALOG_IMAGE_MATCH: evidence near the merchant's own listing photo of the very product is the
 * strongest signal (a listing photo with damage painted on, not a photo of the parcel); near a
 * listing photo of the same seller elsewhere (its shop on another platform, by {@code
 * merchantIdentityHash}) it is the seller's own photo, most likely of the same product listed
 * there under another id; near any other listing photo it is a photo taken from someone's shop.
 *
 * @param sameSellerSeverity between the other two; absent in rule sets stored before it existed
 *     (savepoints, control records), where such a match counted as another shop's listing
 */
public record CatalogMatchRule(Severity sameProductSeverity, Severity otherListingSeverity, Severity sameSellerSeverity)
        implements Serializable {
    public CatalogMatchRule {
        Check.present("sameProductSeverity", sameProductSeverity);
        Check.present("otherListingSeverity", otherListingSeverity);
        sameSellerSeverity = sameSellerSeverity == null ? otherListingSeverity : sameSellerSeverity;
        Severity low = otherListingSeverity.compareTo(sameProductSeverity) <= 0 ? otherListingSeverity : sameProductSeverity;
        Severity high = low == otherListingSeverity ? sameProductSeverity : otherListingSeverity;
        if (sameSellerSeverity.compareTo(low) < 0 || sameSellerSeverity.compareTo(high) > 0) {
            throw new IllegalArgumentException("sameSellerSeverity: expected from otherListingSeverity ("
                    + otherListingSeverity + ") to sameProductSeverity (" + sameProductSeverity + "), got "
                    + sameSellerSeverity);
        }
    }
}
