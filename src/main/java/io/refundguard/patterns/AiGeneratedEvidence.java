package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.events.Evidence;
import io.refundguard.events.Provenance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * AI_GENERATED_EVIDENCE from the provenance a platform read out of the evidence files. Absent
 * metadata proves nothing (it strips easily), so this only ever adds suspicion.
 */
public final class AiGeneratedEvidence {
    private AiGeneratedEvidence() {}

    /** One provenance mark of one photo. */
    record Mark(String imageId, String signal, String value, Severity severity) {}

    public static Optional<PatternFinding> evaluate(AiGeneratedRule rule, List<Evidence> evidence, RequestRecord request) {
        List<Mark> marks = new ArrayList<>();
        for (Evidence image : evidence) {
            if (image.provenance() != null) {
                marksOf(rule, image.imageId(), image.provenance(), marks);
            }
        }
        if (marks.isEmpty()) {
            return Optional.empty();
        }
        Severity strongest = marks.stream().map(Mark::severity).max(Enum::compareTo).orElseThrow();
        List<Map<String, Object>> described = new ArrayList<>();
        for (Mark mark : marks) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("imageId", mark.imageId());
            m.put("signal", mark.signal());
            m.put("value", mark.value());
            m.put("severity", mark.severity().name());
            described.add(m);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("marks", described);
        return Optional.of(new PatternFinding(PatternCode.AI_GENERATED_EVIDENCE, strongest, 0, List.of(request),
                request.amount(), request.currency(), details));
    }

    static void marksOf(AiGeneratedRule rule, String imageId, Provenance p, List<Mark> marks) {
        if (p.aigc() != null && p.aigc().label() != null) {
            marks.add(new Mark(imageId, "aigcLabel", p.aigc().label(), rule.labelSeverities().get(p.aigc().label())));
        }
        if (p.c2pa() != null && p.c2pa().digitalSourceTypes() != null) {
            for (String type : p.c2pa().digitalSourceTypes()) {
                if (isGenerative(rule, type)) {
                    marks.add(new Mark(imageId, "c2paDigitalSourceType", type, rule.sourceTypeSeverity()));
                }
            }
        }
        if (isGenerative(rule, p.iptcDigitalSourceType())) {
            marks.add(new Mark(imageId, "iptcDigitalSourceType", p.iptcDigitalSourceType(), rule.sourceTypeSeverity()));
        }
        if (Boolean.TRUE.equals(p.generatorParameters())) {
            marks.add(new Mark(imageId, "generatorParameters", "true", rule.generatorParametersSeverity()));
        }
        knownGenerator(rule, p.software()).ifPresent(name ->
                marks.add(new Mark(imageId, "software", p.software(), rule.knownGeneratorSeverity())));
        knownGenerator(rule, p.cameraMake()).ifPresent(name ->
                marks.add(new Mark(imageId, "cameraMake", p.cameraMake(), rule.knownGeneratorSeverity())));
        if (p.c2pa() != null && Boolean.TRUE.equals(p.c2pa().stripped())) {
            marks.add(new Mark(imageId, "c2paManifestStripped", "true", rule.strippedManifestSeverity()));
        }
    }

    /** IPTC codes compare by their last path segment, so http/https and trailing slashes don't matter. */
    static boolean isGenerative(AiGeneratedRule rule, String uri) {
        if (uri == null || uri.isBlank()) {
            return false;
        }
        String trimmed = uri.strip().replaceAll("/+$", "");
        String code = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        return rule.generativeSourceTypes().stream().anyMatch(code::equalsIgnoreCase);
    }

    static Optional<String> knownGenerator(AiGeneratedRule rule, String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return rule.knownGenerators().stream().filter(name -> lower.contains(name.toLowerCase(Locale.ROOT))).findFirst();
    }
}
