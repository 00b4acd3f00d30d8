package io.refundguard.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 as this project writes it: lower-case hex, text hashed as UTF-8. Alert ids, cluster keys,
 * decision ids and dead-letter digests are all derived from it and must stay byte-identical across
 * releases, so they share this one definition.
 */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {}

    public static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's own contract).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static byte[] digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The whole digest as 64 hex digits. */
    public static String hex(byte[] bytes) {
        return HEX.formatHex(digest(bytes));
    }

    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The first {@code bytes} bytes of the digest of {@code text}, as hex: short, stable ids. */
    public static String hexPrefix(String text, int bytes) {
        return HEX.formatHex(digest(text), 0, bytes);
    }

    /** Lower-case hex of {@code bytes[0, length)}, for ids cut from a MAC or digest. */
    public static String hexOf(byte[] bytes, int length) {
        return HEX.formatHex(bytes, 0, length);
    }
}
