package io.refundguard.patterns;

/**
 * One link attribute of a buyer, e.g. {@code device:<hash>}: the key SHARED_ATTRIBUTE_RING groups
 * requests by. The hash is the consortium HMAC the platform sent, so the key is safe to show in an
 * alert subject and means the same thing on every platform.
 *
 * @param kind one of {@link SharedAttributeRingRule#KINDS}
 */
public record AttributeKey(String kind, String hash) {

    /** {@code kind:hash}, the key the ring operator is keyed by. */
    public String key() {
        return kind + ":" + hash;
    }

    /** The kind part of a key made by {@link #key()}. */
    public static String kindOf(String key) {
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(0, colon);
    }
}
