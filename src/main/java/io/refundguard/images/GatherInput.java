package io.refundguard.images;

/** What the gather receives, keyed by request: the request waiting, or one answer for it. One is set. */
public record GatherInput(ImageLookup lookup, ProbeResult result) {
    public static GatherInput of(ImageLookup lookup) {
        return new GatherInput(lookup, null);
    }

    public static GatherInput of(ProbeResult result) {
        return new GatherInput(null, result);
    }

    public String requestKey() {
        return lookup != null ? lookup.requestKey() : result.requestKey();
    }
}
