package io.refundguard.patterns;

import io.refundguard.alerts.AlertPolicy;
import io.refundguard.alerts.VerdictPolicy;
import io.refundguard.images.PhotoAllowList;
import io.refundguard.settings.Check;
import java.io.Serializable;

/**
 * Every threshold, window and weight the patterns use, and the photos that never count as reuse,
 * as one value with a version. Loaded from {@code config/} at start; alerts and verdicts name the
 * version that decided them.
 */
public record RuleSet(
        String version,
        RepeatRefunderRule repeatRefunder,
        AmountTierRule amountTier,
        ImageReuseRule imageReuse,
        CatalogMatchRule catalogMatch,
        AiGeneratedRule aiGenerated,
        SharedAttributeRingRule sharedAttributeRing,
        MerchantBurstRule merchantBurst,
        AlertPolicy alerts,
        VerdictPolicy verdict,
        PhotoAllowList photoAllowList)
        implements Serializable {
    public RuleSet {
        // Absent in rule sets stored before the allow-list existed (savepoints, control records).
        photoAllowList = photoAllowList == null ? PhotoAllowList.NONE : photoAllowList;
        Check.notBlank("version", version);
        Check.present("repeatRefunder", repeatRefunder);
        Check.present("amountTier", amountTier);
        Check.present("imageReuse", imageReuse);
        Check.present("catalogMatch", catalogMatch);
        Check.present("aiGenerated", aiGenerated);
        Check.present("sharedAttributeRing", sharedAttributeRing);
        Check.present("merchantBurst", merchantBurst);
        Check.present("alerts", alerts);
        Check.present("verdict", verdict);
    }

    public RuleSet withPhotoAllowList(PhotoAllowList list) {
        return new RuleSet(version, repeatRefunder, amountTier, imageReuse, catalogMatch, aiGenerated, sharedAttributeRing,
                merchantBurst, alerts, verdict, list);
    }
}
