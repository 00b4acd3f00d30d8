package io.refundguard.images.provenance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refundguard.events.AigcLabel;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the GB 45438-2025 implicit label: a JSON object with {@code Label}, {@code
 * ContentProducer}, {@code ProduceID}, {@code ReservedCode1}, {@code ContentPropagator}, {@code
 * PropagateID}, {@code ReservedCode2} (TC260 practice guide). Generators differ in details, so
 * keys match without regard to case, single quotes and unquoted keys are accepted, non-string
 * scalars are read as text, and an object wrapped as {@code {"AIGC": ...}} is unwrapped.
 */
final class AigcLabels {
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(16)
                    .maxStringLength(ReadLimits.MAX_TEXT_CHUNK_BYTES)
                    .build())
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build());

    private AigcLabels() {}

    /**
     * A value that is declared to be the label (XMP {@code TC260:AIGC}, PNG text {@code AIGC}):
     * if it is not a JSON object the file is malformed, and saying so beats guessing.
     */
    static AigcLabel parse(String json, String where) throws UnreadableImageException {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UnreadableImageException("GB 45438 label in " + where + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        AigcLabel label = fromNode(node);
        if (label == null) {
            throw new UnreadableImageException("GB 45438 label in " + where + " is not a JSON object");
        }
        return label;
    }

    /**
     * An EXIF UserComment is free text: only a JSON object with an {@code AIGC} member is a label;
     * anything else (a caption, a prompt, a brace in prose) is not an error.
     */
    static AigcLabel fromUserComment(String comment) throws UnreadableImageException {
        if (comment == null || !comment.startsWith("{")) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(comment);
        } catch (JsonProcessingException e) {
            return null;
        }
        JsonNode inner = member(node, "aigc");
        if (inner == null) {
            return null;
        }
        if (inner.isTextual()) {
            return parse(inner.textValue(), "EXIF UserComment");
        }
        AigcLabel label = fromNode(inner);
        if (label == null) {
            throw new UnreadableImageException("GB 45438 label in EXIF UserComment is not a JSON object");
        }
        return label;
    }

    private static AigcLabel fromNode(JsonNode node) throws UnreadableImageException {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode wrapped = member(node, "aigc");
        if (wrapped != null && wrapped.isObject()) {
            node = wrapped;
        } else if (wrapped != null && wrapped.isTextual()) {
            return parse(wrapped.textValue(), "AIGC member");
        }
        return new AigcLabel(
                text(member(node, "label")),
                text(member(node, "contentproducer")),
                text(member(node, "produceid")),
                text(member(node, "contentpropagator")),
                text(member(node, "propagateid")));
    }

    private static JsonNode member(JsonNode object, String lowerCaseKey) {
        if (object == null || !object.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().toLowerCase(Locale.ROOT).equals(lowerCaseKey)) {
                return field.getValue();
            }
        }
        return null;
    }

    private static String text(JsonNode value) {
        return value != null && value.isValueNode() && !value.isNull() ? Text.clean(value.asText()) : null;
    }
}
