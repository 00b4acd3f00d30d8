package io.refundguard.images;

import java.util.List;

/**
 * One index's answer to one lookup of one photo.
 *
 * <p>The photo index answers a lookup once per subtask, each for the key groups it holds, so an
 * answer says which share it covers: the gather knows a photo's lookup is complete when the shares
 * add up to the whole ({@code covered == total} summed over answers with the same {@code probeId}).
 * The exact-duplicate index answers in one piece (1 of 1).
 *
 * @param probeId which lookup this answers: the photo's key and the index that answered
 * @param matches ordered by distance, then image key, so output does not depend on the state
 *     backend's iteration order
 * @param comparedWith listing photos the local comparison looked at for this photo (image keys),
 *     copies or not: for those pairs it, not the hashes, decides
 * @param covered how many of the {@code total} shares (key groups) of the index this answer covers
 */
public record ProbeResult(String requestKey, String probeId, IndexedImage probe, List<ImageMatch> matches,
        List<String> comparedWith, int covered, int total) {

    public ProbeResult(String requestKey, String probeId, IndexedImage probe, List<ImageMatch> matches, int covered,
            int total) {
        this(requestKey, probeId, probe, matches, List.of(), covered, total);
    }

    public ProbeResult(String requestKey, String probeId, IndexedImage probe, List<ImageMatch> matches) {
        this(requestKey, probeId, probe, matches, List.of(), 1, 1);
    }
}
