package io.refundguard.images.compare;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: pairs that are not copies, which the detector must never call one. Each pair
 * names its category so the study can report false matches per category.
 */
final class HonestPairs {
    /** Real photographs of the PDQ reference set usable as extra honest photos. */
    static final List<String> EXTRA = List.of("pdq/images/labelme-subset/q0122.jpg", "pdq/images/misc-images/small.jpg");

    record Pair(String category, String label, String listingKey, String evidenceKey) {}

    private HonestPairs() {}

    /** Every ordered pair of different real photographs: listings, textures and extras. */
    static List<Pair> differentPhotos() {
        List<String> all = new ArrayList<>(RealPhotos.LISTINGS);
        all.addAll(RealPhotos.TEXTURES);
        all.addAll(EXTRA);
        List<Pair> pairs = new ArrayList<>();
        for (String listing : all) {
            for (String evidence : all) {
                if (!listing.equals(evidence)) {
                    String category = RealPhotos.TEXTURES.contains(listing) || RealPhotos.TEXTURES.contains(evidence)
                            ? "texture vs photo" : isMotorcyclePair(listing, evidence) ? "motorcycle L/R" : "different photos";
                    pairs.add(new Pair(category, RealPhotos.name(listing) + " vs " + RealPhotos.name(evidence),
                            "photo:" + listing, "photo:" + evidence));
                }
            }
        }
        return pairs;
    }

    static boolean isMotorcyclePair(String a, String b) {
        return (a.equals(RealPhotos.MOTORCYCLE_LEFT) && b.equals(RealPhotos.MOTORCYCLE_RIGHT))
                || (a.equals(RealPhotos.MOTORCYCLE_RIGHT) && b.equals(RealPhotos.MOTORCYCLE_LEFT));
    }

    /**
     * Key of a synthetic photo: kind, product seed, scene seed, same studio.
     */
    static String productKey(SameProductPhotos.Kind kind, long product, long scene, boolean sameStudio) {
        return "product:" + kind + ":" + product + ":" + scene + ":" + sameStudio;
    }

    /** Two photos of each product, from scenes 1 and 2, both directions. */
    static List<Pair> sameProduct(int products, boolean sameStudio) {
        List<Pair> pairs = new ArrayList<>();
        String category = sameStudio ? "same product, same studio" : "same product, another room";
        for (SameProductPhotos.Kind kind : SameProductPhotos.Kind.values()) {
            for (long product = 1; product <= products; product++) {
                String a = productKey(kind, product, 1, sameStudio);
                String b = productKey(kind, product, 2, sameStudio);
                String label = kind + " #" + product;
                pairs.add(new Pair(category, label + " (1 vs 2)", a, b));
                pairs.add(new Pair(category, label + " (2 vs 1)", b, a));
            }
        }
        return pairs;
    }

    /** Renders a key made by {@link #productKey} or a "photo:" key. */
    static BufferedImage image(String key) {
        if (key.startsWith("photo:")) {
            return RealPhotos.load(key.substring("photo:".length()));
        }
        String[] parts = key.split(":");
        return SameProductPhotos.photo(SameProductPhotos.Kind.valueOf(parts[1]), Long.parseLong(parts[2]),
                Long.parseLong(parts[3]), Boolean.parseBoolean(parts[4]));
    }
}
