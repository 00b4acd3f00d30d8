package io.refundguard.images;

import java.util.ArrayList;
import java.util.List;

/**
 * One image routed to one slot key of the near-duplicate index (the stream is keyed by {@code
 * slotKey}).
 *
 * @param probeId unique per (image, slot key, store-or-delete), so results can be counted and
 *     told apart
 * @param requestKey {@code platform:requestId} of the refund request waiting for this lookup;
 *     null for catalog probes, whose results nobody waits for
 */
public record ImageProbe(int slotKey, ProbeAction action, String probeId, String requestKey, IndexedImage image) {

    /**
     * All probes of one image: 16 STORE_AND_MATCH at its own slot keys, then one MATCH per
     * neighbour key (256 at radius 31). An evidence image needs the request it belongs to; a
     * catalog image must not have one, or the gather would wait for results that never come.
     */
    public static List<ImageProbe> fanOut(IndexedImage image, String requestKey, int radius) {
        checkRequestKey(image, requestKey);
        PdqHash hash = image.hash();
        int[] own = MultiIndexHashing.ownKeys(hash);
        int[] neighbours = MultiIndexHashing.neighbourKeys(hash, radius);
        List<ImageProbe> probes = new ArrayList<>(own.length + neighbours.length);
        for (int key : own) {
            probes.add(new ImageProbe(key, ProbeAction.STORE_AND_MATCH, probeId(image, key), requestKey, image));
        }
        for (int key : neighbours) {
            probes.add(new ImageProbe(key, ProbeAction.MATCH, probeId(image, key), requestKey, image));
        }
        return probes;
    }

    /** A catalog tombstone: one DELETE per own slot key, where the image was filed. */
    public static List<ImageProbe> fanOutDelete(IndexedImage image) {
        int[] own = MultiIndexHashing.ownKeys(image.hash());
        List<ImageProbe> probes = new ArrayList<>(own.length);
        for (int key : own) {
            probes.add(new ImageProbe(key, ProbeAction.DELETE, probeId(image, key) + "/delete", null, image));
        }
        return probes;
    }

    private static String probeId(IndexedImage image, int slotKey) {
        return image.imageKey() + "@" + slotKey;
    }

    private static void checkRequestKey(IndexedImage image, String requestKey) {
        boolean evidence = image.origin() == ImageOrigin.EVIDENCE;
        if (evidence != (requestKey != null)) {
            throw new IllegalArgumentException(image.origin() + " image " + image.imageKey()
                    + (evidence ? " needs the request key it answers to" : " must not carry a request key"));
        }
    }
}
