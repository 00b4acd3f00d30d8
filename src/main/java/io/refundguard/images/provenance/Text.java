package io.refundguard.images.provenance;

/** Normalises text read from a file before it goes into a contract record. */
final class Text {
    private Text() {}

    /**
     * Trims whitespace and the NUL padding EXIF writers leave, maps blank to null, and clips to
     * the contract's text bound so one absurd value cannot make the record invalid downstream.
     */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) <= ' ')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) <= ' ')) {
            end--;
        }
        if (start == end) {
            return null;
        }
        int clipped = Math.min(end, start + ReadLimits.MAX_TEXT_CHARS);
        if (clipped < end && Character.isHighSurrogate(s.charAt(clipped - 1))) {
            clipped--;
        }
        return s.substring(start, clipped);
    }

    /** File bytes quoted in an error message (box types, chunk keywords): ASCII only, '?' for the rest. */
    static String printable(String raw) {
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
