package io.refundguard.images;

import io.refundguard.events.RequestKeys;

/**
 * Keys of evidence photos. The separator is a control character because platform ids may contain
 * any printable character, including ':' and '/', but never a control character (the decoder
 * rejects them), so the request key can always be recovered from an image key.
 */
public final class EvidenceKeys {
    private static final char SEPARATOR = '\u001f';

    private EvidenceKeys() {}

    public static String imageKey(String platform, String requestId, String imageId) {
        return RequestKeys.of(platform, requestId) + SEPARATOR + imageId;
    }

    public static String requestKeyOf(String imageKey) {
        int at = imageKey.lastIndexOf(SEPARATOR);
        return at < 0 ? imageKey : imageKey.substring(0, at);
    }

    public static String imageIdOf(String imageKey) {
        int at = imageKey.lastIndexOf(SEPARATOR);
        return at < 0 ? imageKey : imageKey.substring(at + 1);
    }

    /** {@code platform:requestId} of a request key: the platform part never contains ':'. */
    public static String platformOf(String requestKey) {
        return requestKey.substring(0, requestKey.indexOf(':'));
    }

    public static String requestIdOf(String requestKey) {
        return requestKey.substring(requestKey.indexOf(':') + 1);
    }
}
