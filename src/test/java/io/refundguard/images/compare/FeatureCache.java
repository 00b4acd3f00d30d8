package io.refundguard.images.compare;

import io.refundguard.events.LocalFeatures;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Test helper: features extracted once per named image. */
final class FeatureCache {
    private final Map<String, LocalFeatures> features = new HashMap<>();
    private final Function<String, java.awt.image.BufferedImage> images;

    FeatureCache(Function<String, java.awt.image.BufferedImage> images) {
        this.images = images;
    }

    LocalFeatures get(String key) {
        return features.computeIfAbsent(key, k -> FeatureExtractor.extract(images.apply(k)));
    }
}
