package io.refundguard.cli.simulate;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HexFormat;

/**
 * The fingerprint of one simulated photo, as a platform would send it: what goes into an evidence
 * object or a listing record besides the ids. The simulator never sees pixels; a {@link PhotoSource}
 * makes these values directly.
 *
 * @param sha256 64 hex characters, the digest of the (imagined) file bytes
 * @param pdq the 256-bit PDQ hash, most significant word first
 * @param pdqQuality 0-100
 */
public record Photo(String sha256, long[] pdq, int pdqQuality) {
    private static final HexFormat HEX = HexFormat.of();

    public Photo {
        if (pdq.length != 4) {
            throw new IllegalArgumentException("a PDQ hash is 4 x 64 bits, got " + pdq.length + " words");
        }
        pdq = pdq.clone();
    }

    /** The PDQ hash as the contract writes it: 64 lowercase hex characters. */
    public String pdqHex() {
        StringBuilder hex = new StringBuilder(64);
        for (long word : pdq) {
            hex.append(HEX.toHexDigits(word));
        }
        return hex.toString();
    }

    /** Hamming distance between the two PDQ hashes. */
    public int distanceTo(Photo other) {
        int bits = 0;
        for (int i = 0; i < 4; i++) {
            bits += Long.bitCount(pdq[i] ^ other.pdq[i]);
        }
        return bits;
    }

    /**
     * Writes the perceptual fingerprint into the evidence or listing object being written (the
     * SHA-256 is the evidence writer's: listing records do not carry it).
     */
    public void writePerceptualFields(JsonGenerator json) throws IOException {
        json.writeStringField("pdq", pdqHex());
        json.writeNumberField("pdqQuality", pdqQuality);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Photo p && p.sha256.equals(sha256) && java.util.Arrays.equals(p.pdq, pdq)
                && p.pdqQuality == pdqQuality;
    }

    @Override
    public int hashCode() {
        return sha256.hashCode();
    }

    @Override
    public String toString() {
        return "Photo[sha256=" + sha256 + ", pdq=" + pdqHex() + ", pdqQuality=" + pdqQuality + "]";
    }
}
