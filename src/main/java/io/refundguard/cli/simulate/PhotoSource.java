package io.refundguard.cli.simulate;

/**
 * Where the simulator's photo fingerprints come from. The traffic model decides which photo is
 * whose (a buyer's own shot, a photo shared by a ring, a merchant's listing photo with damage
 * painted on); a source turns those decisions into fingerprint values. Each call is a function of
 * its arguments, so a seed gives the same photos whatever order they are asked for in.
 *
 * <p>Kept behind this interface because what a fingerprint holds will grow (local features such as
 * keypoints or a thumbnail): a new source fills the new fields of {@link Photo}, the traffic model
 * stays as it is.
 */
public interface PhotoSource {
    /** A photo nobody else has: a new camera shot, or a merchant's own listing photo. */
    Photo original(long photoId);

    /**
     * The same picture saved again, or edited: other file bytes (a new SHA-256) and a perceptual
     * hash exactly {@code bits} away from {@code of}'s. {@code bits} 0 keeps the PDQ hash.
     */
    Photo edited(Photo of, int bits, long photoId);
}
