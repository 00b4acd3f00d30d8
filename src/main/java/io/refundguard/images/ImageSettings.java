package io.refundguard.images;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;

/**
 * The near-duplicate index's fixed shape. Not part of the live rule set: changing the radius
 * beyond a multiple of 16 or the floor changes what the index holds and where, so it takes a
 * restart (from a savepoint; the state stays valid).
 *
 * @param radius PDQ Hamming distance at or below which two photos are the same photo (31, the
 *     PDQ authors' recommended match threshold)
 * @param qualityFloor PDQ quality below which a photo is too featureless to match on (50)
 * @param retention how long evidence photos stay comparable, in event time
 * @param catalogRetention processing-time backstop for listing photos (tombstones delete them)
 * @param catalogLookback how far back a newly published listing photo reaches to earlier evidence
 */
public record ImageSettings(
        int radius, int qualityFloor, Duration retention, Duration catalogRetention, Duration catalogLookback)
        implements Serializable {
    public ImageSettings {
        MultiIndexHashing.checkRadius(radius);
        if (radius > 31) {
            throw new IllegalArgumentException("radius: expected 0..31 (one bit per 16-bit slot), got " + radius);
        }
        if (qualityFloor < 0 || qualityFloor > 100) {
            throw new IllegalArgumentException("qualityFloor: expected 0..100, got " + qualityFloor);
        }
        Check.positive("retention", retention);
        Check.positive("catalogRetention", catalogRetention);
        Check.positive("catalogLookback", catalogLookback);
    }
}
