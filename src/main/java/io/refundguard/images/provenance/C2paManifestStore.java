package io.refundguard.images.provenance;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what RefundGuard needs from an embedded C2PA manifest store: the active manifest's claim
 * generator and the IPTC digital source types its manifests declare. No signature or hash is
 * checked (out of scope): a manifest copied onto another image reads the same as a genuine one.
 */
final class C2paManifestStore {
    /** Type codes of C2PA superboxes (the first four bytes of their JUMBF type UUIDs). */
    private static final String STORE = "c2pa";
    private static final String MANIFEST = "c2ma";
    private static final String UPDATE_MANIFEST = "c2um";
    private static final String ASSERTION_STORE = "c2as";
    private static final String CLAIM = "c2cl";
    private static final String CBOR_BOX = "cbor";

    /** Actions and ingredient assertions in every version, with an optional instance suffix. */
    private static final Pattern SOURCE_TYPE_ASSERTION =
            Pattern.compile("c2pa\\.(actions|ingredient)(\\.v\\d+)?(__\\d+)?");

    /** IPTC's scheme; matched loosely because writers vary http/https and letter case. */
    private static final String SOURCE_TYPE_SCHEME = "cv.iptc.org/newscodes/digitalsourcetype/";

    record Reading(String claimGenerator, List<String> digitalSourceTypes) {}

    private C2paManifestStore() {}

    static boolean isStore(byte[] buf, int start, int end) throws UnreadableImageException {
        return STORE.equals(Jumbf.peekType(buf, start, end));
    }

    static Reading read(byte[] buf, int start, int end) throws UnreadableImageException {
        Jumbf.Superbox store = Jumbf.parse(buf, start, end);
        if (!STORE.equals(store.type())) {
            throw new UnreadableImageException("C2PA manifest store: JUMBF box is of type '"
                    + Text.printable(store.type()) + "', not a C2PA manifest store");
        }
        List<Jumbf.Superbox> manifests = new ArrayList<>();
        for (Jumbf.Superbox box : store.superboxes()) {
            if (box.type().equals(MANIFEST) || box.type().equals(UPDATE_MANIFEST)) {
                manifests.add(box);
            }
        }
        if (manifests.isEmpty()) {
            throw new UnreadableImageException("C2PA manifest store holds no manifest");
        }
        // The spec makes the last manifest in the store the active one, the one describing this
        // file; the others can only be its ingredients' manifests (and theirs, recursively).
        Jumbf.Superbox active = manifests.get(manifests.size() - 1);

        // Types are taken from every manifest in the store rather than by following each
        // ingredient's URI reference: the store holds nothing but the active manifest and its
        // ingredients' manifests, so the result is the same, and a reference we fail to resolve
        // (label escaping, a v1/v2/v3 field name) cannot hide a generated ingredient.
        Set<String> types = new LinkedHashSet<>();
        collectSourceTypes(buf, active, types);
        for (Jumbf.Superbox manifest : manifests) {
            if (manifest != active) {
                collectSourceTypes(buf, manifest, types);
            }
        }
        return new Reading(claimGenerator(buf, active), List.copyOf(types));
    }

    private static void collectSourceTypes(byte[] buf, Jumbf.Superbox manifest, Set<String> out)
            throws UnreadableImageException {
        for (Jumbf.Superbox assertions : manifest.superboxes()) {
            if (!assertions.type().equals(ASSERTION_STORE)) {
                continue;
            }
            for (Jumbf.Superbox assertion : assertions.superboxes()) {
                if (assertion.label() == null
                        || !SOURCE_TYPE_ASSERTION.matcher(assertion.label()).matches()) {
                    continue;
                }
                Jumbf.Content cbor = assertion.firstContent(CBOR_BOX);
                if (cbor != null) {
                    Object value = Cbor.decode(buf, cbor.start(), cbor.end(), assertion.label());
                    // Every string, not only the named fields: the URI sits in an action's
                    // digitalSourceType, inside its free-form parameters, or in an ingredient,
                    // and writers disagree on where.
                    findSourceTypes(value, out);
                }
            }
        }
    }

    private static void findSourceTypes(Object value, Set<String> out) {
        if (value instanceof String s) {
            if (out.size() < ReadLimits.MAX_SOURCE_TYPES
                    && s.length() <= ReadLimits.MAX_TEXT_CHARS
                    && s.toLowerCase(Locale.ROOT).contains(SOURCE_TYPE_SCHEME)) {
                out.add(s.trim());
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                findSourceTypes(v, out);
            }
        } else if (value instanceof List<?> list) {
            for (Object v : list) {
                findSourceTypes(v, out);
            }
        }
    }

    private static String claimGenerator(byte[] buf, Jumbf.Superbox manifest)
            throws UnreadableImageException {
        for (Jumbf.Superbox box : manifest.superboxes()) {
            if (!box.type().equals(CLAIM)) {
                continue;
            }
            Jumbf.Content cbor = box.firstContent(CBOR_BOX);
            if (cbor == null) {
                return null;
            }
            if (!(Cbor.decode(buf, cbor.start(), cbor.end(), "claim") instanceof Map<?, ?> claim)) {
                throw new UnreadableImageException("C2PA claim is not a CBOR map");
            }
            // Claim v1 has a claim_generator string; v2 only claim_generator_info, one map in
            // v2 and a list of maps in v1. Render the info as v1 does: "name/version ...".
            if (claim.get("claim_generator") instanceof String generator && !generator.isBlank()) {
                return Text.clean(generator);
            }
            Object info = claim.get("claim_generator_info");
            List<?> entries = info instanceof List<?> list ? list : info == null ? List.of() : List.of(info);
            StringBuilder rendered = new StringBuilder();
            for (Object entry : entries) {
                if (entry instanceof Map<?, ?> map && map.get("name") instanceof String name) {
                    if (rendered.length() > 0) {
                        rendered.append(' ');
                    }
                    rendered.append(name);
                    if (map.get("version") instanceof String version) {
                        rendered.append('/').append(version);
                    }
                }
            }
            return Text.clean(rendered.toString());
        }
        return null;
    }
}
