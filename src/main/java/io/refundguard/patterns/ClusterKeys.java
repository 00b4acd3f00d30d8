package io.refundguard.patterns;

import io.refundguard.events.RefundEvent;
import io.refundguard.events.Sha256;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageOrigin;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shared-image cluster a request belongs to: keyed by the cluster's anchor, the earliest
 * evidence photo the request's photos matched (or its own first photo), so a ring's requests
 * gather under one key. The key is a hash of the anchor, so no ids leak into alert subjects.
 */
public final class ClusterKeys {
    private ClusterKeys() {}

    /** The cluster of a request with indexed evidence, or the one a retraction leaves. */
    public static String of(PersonEvent enriched) {
        if (enriched.isRetraction()) {
            return enriched.retraction().clusterKey();
        }
        RefundEvent request = enriched.event();
        long anchorTime = request.occurredAt();
        String anchor = EvidenceKeys.imageKey(request.platform(), request.requestId(), request.evidence().get(0).imageId());
        for (EvidenceMatch match : enriched.findings().matches()) {
            if (match.matched().origin() != ImageOrigin.EVIDENCE) {
                continue;
            }
            long time = match.matched().occurredAt();
            String key = match.matched().imageKey();
            if (time < anchorTime || (time == anchorTime && key.compareTo(anchor) < 0)) {
                anchorTime = time;
                anchor = key;
            }
        }
        return "img-" + Sha256.hexPrefix(anchor, 12);
    }

    /**
     * The cluster as an alert's IMAGE subject: an HMAC-SHA256 of its key under the deployment's
     * secret ({@code images.clusterKeySecret}), 96 bits. The routing key is an unkeyed hash of
     * {@code platform:requestId:imageId}; with sequential request ids and guessable image ids
     * anyone could compute it and so tell from a subject key whose photo anchors a cluster.
     */
    public static String subjectKey(String secret, String clusterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "img-" + Sha256.hexOf(mac.doFinal(clusterKey.getBytes(StandardCharsets.UTF_8)), 12);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
