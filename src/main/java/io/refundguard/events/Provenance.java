package io.refundguard.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Provenance marks read from an evidence file, by the platform or by the detector's reader.
 *
 * @param incomplete what could not be read, one line each (a malformed part, a read limit that
 *     tripped), naming the kind of metadata; null when everything was read. The other fields hold
 *     what was read from the rest: a bad part hides nothing else, and absence of a mark in a
 *     reading with entries here proves less than usual
 */
public record Provenance(
        AigcLabel aigc,
        C2paInfo c2pa,
        String iptcDigitalSourceType,
        String software,
        Boolean generatorParameters,
        String cameraMake,
        String cameraModel,
        String capturedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> incomplete) {

    /** The contract's bound on {@code incomplete}. */
    public static final int MAX_INCOMPLETE = 16;

    public Provenance {
        incomplete = incomplete == null || incomplete.isEmpty()
                ? null
                : List.copyOf(incomplete.subList(0, Math.min(MAX_INCOMPLETE, incomplete.size())));
    }

    public Provenance(AigcLabel aigc, C2paInfo c2pa, String iptcDigitalSourceType, String software,
            Boolean generatorParameters, String cameraMake, String cameraModel, String capturedAt) {
        this(aigc, c2pa, iptcDigitalSourceType, software, generatorParameters, cameraMake, cameraModel, capturedAt,
                null);
    }
}
