package io.refundguard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {
    // FIPS 180-2, appendix B.1: the digest of "abc".
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void hexIsTheStandardDigestInLowerCase() {
        assertThat(Sha256.hex("abc")).isEqualTo(ABC);
        assertThat(Sha256.hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
    }

    @Test
    void textIsHashedAsUtf8() {
        assertThat(Sha256.hex("仅退款")).isEqualTo(Sha256.hex("仅退款".getBytes(StandardCharsets.UTF_8)));
        assertThat(Sha256.hex("仅退款")).isNotEqualTo(Sha256.hex("仅退款".getBytes(StandardCharsets.UTF_16)));
    }

    @Test
    void prefixesCutTheDigestAtWholeBytes() {
        assertThat(Sha256.hexPrefix("abc", 16)).isEqualTo(ABC.substring(0, 32));
        assertThat(Sha256.hexOf(Sha256.digest("abc"), 12)).isEqualTo(ABC.substring(0, 24));
    }
}
