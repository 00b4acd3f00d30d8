package io.refundguard.images;

import io.refundguard.events.CatalogImage;
import io.refundguard.events.Evidence;
import io.refundguard.events.Sha256;
import io.refundguard.images.compare.FeatureExtractor;
import java.awt.image.BufferedImage;
import io.refundguard.events.Provenance;
import io.refundguard.images.provenance.ProvenanceReader;
import io.refundguard.images.provenance.UnreadableImageException;

/**
 * Turns the bytes of one evidence photo into the contract's evidence object: the SHA-256 of the
 * file, its PDQ hash and quality, its local features, and the provenance marks it carries. What a platform would
 * have sent had it fingerprinted the file itself, so everything downstream treats the two alike.
 * Stateless and thread-safe.
 */
public final class EvidenceFingerprinter {
    private final BoundedImageDecoder decoder;
    private final PdqHasher hasher;
    private final ProvenanceReader provenanceReader;

    public EvidenceFingerprinter() {
        this(new PdqHasher(), new ProvenanceReader());
    }

    public EvidenceFingerprinter(DecodeLimits limits) {
        this(limits, new PdqHasher(limits), new ProvenanceReader());
    }

    public EvidenceFingerprinter(PdqHasher hasher, ProvenanceReader provenanceReader) {
        this(DecodeLimits.DEFAULT, hasher, provenanceReader);
    }

    private EvidenceFingerprinter(DecodeLimits limits, PdqHasher hasher, ProvenanceReader provenanceReader) {
        this.decoder = new BoundedImageDecoder(limits);
        this.hasher = hasher;
        this.provenanceReader = provenanceReader;
    }

    /**
     * The fingerprint of {@code bytes}, with no {@code uri}.
     *
     * @throws UnreadableEvidenceException when the bytes do not decode as an image
     */
    public Evidence fingerprint(String imageId, byte[] bytes) throws UnreadableEvidenceException {
        BufferedImage image = decode(bytes);
        PdqResult pdq = hasher.hash(image);
        return new Evidence(imageId, sha256Hex(bytes), null, pdq.hash().toHex(), pdq.quality(),
                provenanceOrNull(bytes), FeatureExtractor.extract(image), null);
    }

    /** The same photo's fingerprint as a listing photo: PDQ and local features, from one decode. */
    public CatalogImage fingerprintListing(CatalogImage listing, byte[] bytes) throws UnreadableEvidenceException {
        BufferedImage image = decode(bytes);
        PdqResult pdq = hasher.hash(image);
        return listing.fingerprinted(pdq.hash().toHex(), pdq.quality(), FeatureExtractor.extract(image));
    }

    private BufferedImage decode(byte[] bytes) throws UnreadableEvidenceException {
        try {
            return decoder.decode(bytes);
        } catch (ImageRejectedException e) {
            throw new UnreadableEvidenceException("not a decodable image: " + e.getMessage());
        }
    }

    /**
     * Provenance is one signal among several, the PDQ hash the one the reuse and catalog
     * patterns cannot do without. A photo whose metadata is malformed, or in a format the reader
     * does not parse (ImageIO decodes GIF and BMP too), still has a good perceptual hash, so a
     * failed reading costs only the provenance. Null means "not read", not "no marks": the AI
     * pattern sees no label either way, and a label we failed to parse is never invented.
     */
    private Provenance provenanceOrNull(byte[] bytes) {
        try {
            return provenanceReader.read(bytes);
        } catch (UnreadableImageException e) {
            return null;
        }
    }

    public static String sha256Hex(byte[] bytes) {
        return Sha256.hex(bytes);
    }
}
