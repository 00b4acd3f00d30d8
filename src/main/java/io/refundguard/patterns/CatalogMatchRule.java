package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.settings.Check;
import java.io.Serializable;

/**
 * CATALOG_IMAGE_MATCH: evidence near the merchant's own listing photo of the very product is the
 * strongest signal (a listing photo with damage painted on, not a photo of the parcel); near any
 * other listing photo it is a photo taken from someone's shop.
 */
public record CatalogMatchRule(Severity sameProductSeverity, Severity otherListingSeverity) implements Serializable {
    public CatalogMatchRule {
        Check.present("sameProductSeverity", sameProductSeverity);
        Check.present("otherListingSeverity", otherListingSeverity);
    }
}
