package io.refundguard.images;

import io.refundguard.settings.Check;
import java.io.Serializable;
import java.time.Duration;

/**
 * The photo index's fixed shape. Not part of the live rule set: the radius shapes the in-memory
 * index and the floor decides what is filed, so changing them takes a restart (from a savepoint;
 * the state stays valid and the index is rebuilt from it).
 *
 * @param radius PDQ Hamming distance at or below which two photos are the same photo (31, the
 *     PDQ authors' recommended match threshold)
 * @param qualityFloor PDQ quality below which a photo is too featureless to match on (50)
 * @param retention how long evidence photos stay comparable, in event time
 * @param catalogRetention processing-time backstop for listing photos (tombstones delete them)
 * @param catalogLookback how far back a newly published listing photo reaches to earlier evidence
 * @param maxListingPhotos how many of a product's listing photos (the newest) each evidence photo
 *     is compared with locally; each comparison costs about a millisecond
 * @param clusterKeySecret the key of the HMAC that turns a shared-image cluster into the IMAGE
 *     subject key of its alerts, so that nobody without it can compute which photo a key stands for
 */
public record ImageSettings(int radius, int qualityFloor, Duration retention, Duration catalogRetention,
        Duration catalogLookback, int maxListingPhotos, String clusterKeySecret) implements Serializable {
    /**
     * The shipped value of {@code images.clusterKeySecret}: public, for local runs and tests only.
     * {@code submit} warns when a job is started with it.
     */
    public static final String LOCAL_ONLY_SECRET = "local-only-NOT-A-SECRET-replace-in-production";

    /** Shortest secret accepted: 128 bits of a random hex or base64 string. */
    public static final int MIN_SECRET_CHARS = 22;

    /**
     * Beyond this the multi-index probes explode (11k buckets per lookup at 63) and a wider
     * radius would match different photos anyway (PDQ's authors recommend 31).
     */
    public static final int MAX_RADIUS = 63;

    public ImageSettings(int radius, int qualityFloor, Duration retention, Duration catalogRetention,
            Duration catalogLookback) {
        this(radius, qualityFloor, retention, catalogRetention, catalogLookback, 20, LOCAL_ONLY_SECRET);
    }

    public ImageSettings(int radius, int qualityFloor, Duration retention, Duration catalogRetention,
            Duration catalogLookback, int maxListingPhotos) {
        this(radius, qualityFloor, retention, catalogRetention, catalogLookback, maxListingPhotos, LOCAL_ONLY_SECRET);
    }

    public ImageSettings {
        if (radius < 0 || radius > MAX_RADIUS) {
            throw new IllegalArgumentException("radius: expected 0.." + MAX_RADIUS + ", got " + radius);
        }
        if (qualityFloor < 0 || qualityFloor > 100) {
            throw new IllegalArgumentException("qualityFloor: expected 0..100, got " + qualityFloor);
        }
        Check.positive("retention", retention);
        Check.positive("catalogRetention", catalogRetention);
        Check.positive("catalogLookback", catalogLookback);
        if (maxListingPhotos < 1 || maxListingPhotos > 100) {
            throw new IllegalArgumentException("maxListingPhotos: expected 1..100, got " + maxListingPhotos);
        }
        if (clusterKeySecret == null || clusterKeySecret.length() < MIN_SECRET_CHARS) {
            // The value itself is never echoed: error messages end up in logs.
            throw new IllegalArgumentException("clusterKeySecret: expected at least " + MIN_SECRET_CHARS
                    + " characters (e.g. openssl rand -hex 32)");
        }
    }

    /** Without the secret: settings get logged. */
    @Override
    public String toString() {
        return "ImageSettings[radius=" + radius + ", qualityFloor=" + qualityFloor + ", retention=" + retention
                + ", catalogRetention=" + catalogRetention + ", catalogLookback=" + catalogLookback
                + ", maxListingPhotos=" + maxListingPhotos + ", clusterKeySecret=(hidden)]";
    }
}
