package io.refundguard.images;

import java.util.List;

/**
 * The answer of one slot key to one probe.
 *
 * <p>Evidence probes always get exactly one result, even with no matches, because the gather
 * downstream counts results per {@code requestKey} to know when all 272 lookups of a request are
 * in. Catalog probes ({@code requestKey} null) get one only when something matched. The same pair
 * can be reported by several slot keys; de-duplicating is the gather's job.
 *
 * @param matches ordered by distance, then image key, so output does not depend on the state
 *     backend's iteration order
 */
public record ProbeResult(String requestKey, String probeId, IndexedImage probe, List<ImageMatch> matches) {}
