package io.refundguard.events;

/** Provenance marks read from an evidence file, by the platform or by the detector's reader. */
public record Provenance(
        AigcLabel aigc,
        C2paInfo c2pa,
        String iptcDigitalSourceType,
        String software,
        Boolean generatorParameters,
        String cameraMake,
        String cameraModel,
        String capturedAt) {}
