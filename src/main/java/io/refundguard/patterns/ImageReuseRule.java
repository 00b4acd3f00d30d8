package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.settings.Check;
import java.io.Serializable;

/**
 * IMAGE_REUSE. One person reusing a photo for different orders is {@code selfReuseSeverity};
 * different persons sharing a photo is coordinated: HIGH, CRITICAL from {@code criticalPersons}.
 */
public record ImageReuseRule(Severity selfReuseSeverity, int criticalPersons) implements Serializable {
    public ImageReuseRule {
        Check.present("selfReuseSeverity", selfReuseSeverity);
        Check.atLeast("criticalPersons", criticalPersons, 2);
    }
}
