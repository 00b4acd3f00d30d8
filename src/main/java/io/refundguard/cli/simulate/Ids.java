package io.refundguard.cli.simulate;

import java.util.HexFormat;

/** Stand-ins for the consortium HMACs: 64 hex characters per number, fixed by the seed. */
final class Ids {
    private static final HexFormat HEX = HexFormat.of();

    private Ids() {}

    static String hex256(long seed, long number) {
        StringBuilder hex = new StringBuilder(64);
        long base = mix(seed * 0xD1B54A32D192ED03L + mix(number + 0x632BE59BD9B4E019L));
        for (int i = 1; i <= 4; i++) {
            hex.append(HEX.toHexDigits(mix(base + i * 0x9E3779B97F4A7C15L)));
        }
        return hex.toString();
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
