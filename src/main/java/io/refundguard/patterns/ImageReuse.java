package io.refundguard.patterns;

import io.refundguard.images.EvidenceKeys;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageFindings;
import io.refundguard.images.ImageOrigin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * IMAGE_REUSE by one person: the same (or nearly the same) photo as evidence for requests about
 * different orders, on any platform. A photo reused for the same order (a request filed again
 * after a rejection) is not reuse. Sharing between persons is {@link ImageClusterFunction}'s.
 */
public final class ImageReuse {
    private ImageReuse() {}

    public static Optional<PatternFinding> selfReuse(ImageReuseRule rule, AmountTierRule amounts, ImageFindings findings, String personKey,
            Map<String, RequestRecord> history, RequestRecord request) {
        List<Map<String, Object>> reused = new ArrayList<>();
        Map<String, RequestRecord> earlier = new LinkedHashMap<>();
        for (EvidenceMatch match : findings.matches()) {
            if (match.matched().origin() != ImageOrigin.EVIDENCE || !match.matched().ownerKey().equals(personKey)) {
                continue;
            }
            String matchedRequest = EvidenceKeys.requestKeyOf(match.matched().imageKey());
            RequestRecord other = history.get(matchedRequest);
            if (matchedRequest.equals(request.key().toString())
                    || (other != null && Objects.equals(other.orderId(), request.orderId()) && other.platform().equals(request.platform()))) {
                continue;
            }
            if (other != null) {
                earlier.put(matchedRequest, other);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("imageId", match.imageId());
            // Which earlier request it was shows in `requests`, which per-platform views reduce;
            // details are shared with every platform, so they carry no foreign ids.
            m.put("reusedFromPlatform", match.matched().platform());
            // The earlier photo itself, for a reviewer to see both side by side: its link is in
            // this person's history when the platform sent one. Views of other platforms drop both.
            String earlierImageId = EvidenceKeys.imageIdOf(match.matched().imageKey());
            m.put("earlierImageId", earlierImageId);
            String earlierUri = other == null ? null : other.photoLink(earlierImageId);
            if (earlierUri != null) {
                m.put("earlierUri", earlierUri);
            }
            m.put("distance", match.distance());
            m.put("exact", match.exact());
            reused.add(m);
        }
        if (reused.isEmpty()) {
            return Optional.empty();
        }
        List<RequestRecord> requests = new ArrayList<>(earlier.values());
        requests.sort(java.util.Comparator.comparingLong(RequestRecord::occurredAt));
        requests.add(request);
        RepeatRefunder.Sums sums = RepeatRefunder.Sums.of(amounts, requests);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", "SELF_REUSE");
        details.put("reused", reused);
        return Optional.of(new PatternFinding(PatternCode.IMAGE_REUSE, rule.selfReuseSeverity(), requests.size(),
                requests, sums.total(), amounts.currency(), details));
    }

    /** Any evidence match with another person's photo: the request is part of a shared-image case. */
    public static boolean sharesWithOthers(ImageFindings findings, String personKey) {
        return findings.matches().stream().anyMatch(m ->
                m.matched().origin() == ImageOrigin.EVIDENCE && !m.matched().ownerKey().equals(personKey));
    }
}
