package io.refundguard.patterns;

import io.refundguard.alerts.Severity;
import io.refundguard.settings.Check;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * AI_GENERATED_EVIDENCE: what provenance marks mean how much.
 *
 * @param labelSeverities by GB 45438-2025 implicit label value ("1" generated, "2" possibly, "3"
 *     suspected)
 * @param generativeSourceTypes IPTC digital source type codes (last path segment of the URI) that
 *     mean a generative model made or edited the image
 * @param knownGenerators names that, found in EXIF Software / XMP CreatorTool or camera make, mean
 *     a generator wrote the file (case-insensitive substring)
 * @param strippedManifestSeverity a C2PA manifest was referenced but removed: weaker on its own,
 *     since many upload pipelines strip metadata innocently
 */
public record AiGeneratedRule(
        Map<String, Severity> labelSeverities,
        List<String> generativeSourceTypes,
        Severity sourceTypeSeverity,
        Severity generatorParametersSeverity,
        List<String> knownGenerators,
        Severity knownGeneratorSeverity,
        Severity strippedManifestSeverity)
        implements Serializable {
    public AiGeneratedRule {
        labelSeverities = Check.covers("labelSeverities", labelSeverities, new String[] {"1", "2", "3"});
        generativeSourceTypes = List.copyOf(Check.present("generativeSourceTypes", generativeSourceTypes));
        Check.present("sourceTypeSeverity", sourceTypeSeverity);
        Check.present("generatorParametersSeverity", generatorParametersSeverity);
        knownGenerators = List.copyOf(Check.present("knownGenerators", knownGenerators));
        Check.present("knownGeneratorSeverity", knownGeneratorSeverity);
        Check.present("strippedManifestSeverity", strippedManifestSeverity);
    }
}
