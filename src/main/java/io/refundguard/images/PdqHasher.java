package io.refundguard.images;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * PDQ perceptual hashing (Meta's published algorithm) of evidence and listing photos: luma,
 * box-filter blur and decimation to 64x64, 16x16 low-frequency DCT block, one bit per
 * coefficient above the median. Stateless and thread-safe; one instance can serve a whole task.
 */
public final class PdqHasher {
    private final BoundedImageDecoder decoder;

    public PdqHasher() {
        this(DecodeLimits.DEFAULT);
    }

    public PdqHasher(DecodeLimits limits) {
        this.decoder = new BoundedImageDecoder(limits);
    }

    public PdqResult hash(BufferedImage image) {
        Spectrum spectrum = Spectrum.of(image);
        return new PdqResult(PdqDct.toHash(spectrum.coefficients()), spectrum.quality());
    }

    public PdqResult hash(byte[] fileBytes) throws ImageRejectedException {
        return hash(decoder.decode(fileBytes));
    }

    public PdqResult hash(Path file) throws ImageRejectedException {
        return hash(decoder.decode(file));
    }

    public PdqDihedralResult hashDihedral(BufferedImage image) {
        Spectrum spectrum = Spectrum.of(image);
        Map<PdqDihedral, PdqHash> hashes = new EnumMap<>(PdqDihedral.class);
        for (PdqDihedral variant : PdqDihedral.values()) {
            hashes.put(variant, PdqDct.toHash(variant.transformCoefficients(spectrum.coefficients())));
        }
        return new PdqDihedralResult(hashes, spectrum.quality());
    }

    public PdqDihedralResult hashDihedral(byte[] fileBytes) throws ImageRejectedException {
        return hashDihedral(decoder.decode(fileBytes));
    }

    public PdqDihedralResult hashDihedral(Path file) throws ImageRejectedException {
        return hashDihedral(decoder.decode(file));
    }

    /** What both the plain and the dihedral hash are computed from. */
    private record Spectrum(float[] coefficients, int quality) {
        static Spectrum of(BufferedImage image) {
            float[] downsample = LumaDownsampler.downsample(image);
            return new Spectrum(PdqDct.lowFrequencies(downsample), PdqQuality.of(downsample));
        }
    }
}
