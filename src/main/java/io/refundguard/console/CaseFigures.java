package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The case page's small drawings, from the alert's {@code details} alone (the console has no
 * photos' bytes: neither the replay folder nor the alert topics carry them; {@link CasePhotos} fetches
 * those the alert links). Templates get
 * plain numbers and text; Thymeleaf writes them into inline SVG, escaped.
 */
final class CaseFigures {
    /** Nodes drawn around a ring's attribute; beyond this, one node says how many more. */
    static final int MAX_RING_NODES = 24;
    static final int RING_SIZE = 320;
    private static final int RING_RADIUS = 125;

    private CaseFigures() {}

    record Box(int x, int y, int width, int height) {}

    /**
     * One listing photo's frame at its pixel size with the changed regions outlined.
     *
     * @param listingImage {@code platform:merchantId:productId:imageId} of the listing photo
     */
    record Regions(String listingImage, String imageId, int width, int height, List<Box> boxes, String changes) {
        public String viewBox() {
            return "0 0 " + width + " " + height;
        }

        /** Shown 320 px wide (or tall), whatever the listing's size. */
        public int shownWidth() {
            return width >= height ? 320 : Math.max(1, 320 * width / height);
        }

        public int shownHeight() {
            return width >= height ? Math.max(1, 320 * height / width) : 320;
        }
    }

    record Node(double x, double y, String label, boolean identity) {}

    /** A ring: its shared attribute in the middle, one node per person around it. */
    record Ring(String attribute, List<Node> nodes, int persons) {
        public double center() {
            return RING_SIZE / 2.0;
        }
    }

    /**
     * CATALOG_IMAGE_MATCH: each listing match the local comparison described ({@code listingSize}
     * and {@code changedRegions} in listing pixels) whose listing photo has no link in this view.
     * PDQ and SHA-256 matches have no regions.
     */
    static List<Regions> regions(JsonNode details) {
        List<Regions> figures = new ArrayList<>();
        for (JsonNode match : details.path("listingMatches")) {
            int width = match.path("listingSize").path("width").asInt(0);
            int height = match.path("listingSize").path("height").asInt(0);
            // With a link, the regions are outlined on the photo itself (CasePhotos).
            if (width <= 0 || height <= 0 || !match.path("changedRegions").isArray() || match.path("listingUri").isTextual()) {
                continue;
            }
            List<Box> boxes = new ArrayList<>();
            for (JsonNode b : match.path("changedRegions")) {
                boxes.add(new Box(b.path("x").asInt(), b.path("y").asInt(), b.path("width").asInt(), b.path("height").asInt()));
            }
            List<String> changes = new ArrayList<>();
            match.path("changes").forEach(c -> changes.add(c.asText()));
            figures.add(new Regions(match.path("listingImage").asText(""), match.path("imageId").asText(""), width, height,
                    List.copyOf(boxes), String.join(", ", changes)));
        }
        return figures;
    }

    /**
     * SHARED_ATTRIBUTE_RING: persons by identity hash ({@code persons}, shortened) and, for those
     * without one, a node per account counted in {@code personsWithoutIdentityHashByPlatform} (the
     * details carry no account ids, so the other platforms' views learn none). Empty for other
     * patterns.
     */
    static java.util.Optional<Ring> ring(String pattern, JsonNode details) {
        if (!"SHARED_ATTRIBUTE_RING".equals(pattern)) {
            return java.util.Optional.empty();
        }
        List<String> labels = new ArrayList<>();
        List<Boolean> identities = new ArrayList<>();
        details.path("persons").forEach(p -> {
            String hash = p.asText();
            labels.add(hash.length() > 8 ? hash.substring(0, 8) + "…" : hash);
            identities.add(true);
        });
        for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) () ->
                details.path("personsWithoutIdentityHashByPlatform").fields()) {
            for (int i = 0; i < e.getValue().asInt(0); i++) {
                labels.add(e.getKey());
                identities.add(false);
            }
        }
        if (labels.isEmpty()) {
            return java.util.Optional.empty();
        }
        int persons = labels.size();
        int drawn = persons <= MAX_RING_NODES ? persons : MAX_RING_NODES - 1;
        int slots = persons <= MAX_RING_NODES ? persons : MAX_RING_NODES;
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / slots;
            double x = Math.round((RING_SIZE / 2.0 + RING_RADIUS * Math.cos(angle)) * 10) / 10.0;
            double y = Math.round((RING_SIZE / 2.0 + RING_RADIUS * Math.sin(angle)) * 10) / 10.0;
            nodes.add(i < drawn ? new Node(x, y, labels.get(i), identities.get(i))
                    : new Node(x, y, "+" + (persons - drawn), false));
        }
        String attribute = details.path("attributeKind").asText("shared attribute");
        return java.util.Optional.of(new Ring(attribute, List.copyOf(nodes), persons));
    }
}
