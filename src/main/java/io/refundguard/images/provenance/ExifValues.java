package io.refundguard.images.provenance;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** EXIF values whose encoding metadata-extractor leaves to the caller. */
final class ExifValues {
    private static final Pattern EXIF_DATE_TIME =
            Pattern.compile("(\\d{4}):(\\d{2}):(\\d{2})[ T](\\d{2}):(\\d{2}):(\\d{2})");
    private static final Pattern SUBSECONDS = Pattern.compile("\\d{1,9}");
    private static final Pattern OFFSET = Pattern.compile("[+-]\\d{2}:\\d{2}");
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    private static final byte[] ASCII = "ASCII\0\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] UNICODE = "UNICODE\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] JIS = "JIS\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1);

    private ExifValues() {}

    /**
     * DateTimeOriginal ("YYYY:MM:DD HH:MM:SS", local time) as ISO-8601, with SubSecTimeOriginal
     * as a fraction and OffsetTimeOriginal (EXIF 2.31) as the offset when present. Null when the
     * date is absent, blank-padded ("    :  :  ") or impossible: then the file says nothing.
     */
    static String capturedAt(String dateTime, String subSeconds, String offset) {
        if (dateTime == null) {
            return null;
        }
        Matcher m = EXIF_DATE_TIME.matcher(dateTime);
        if (!m.matches()) {
            return null;
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.of(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
        } catch (DateTimeException e) {
            return null;
        }
        StringBuilder iso = new StringBuilder(ISO_SECONDS.format(local));
        if (subSeconds != null && SUBSECONDS.matcher(subSeconds).matches()) {
            iso.append('.').append(subSeconds);
        }
        if (offset != null && OFFSET.matcher(offset).matches()) {
            try {
                ZoneOffset.of(offset);
                iso.append(offset);
            } catch (DateTimeException e) {
                // "+99:00" and the like: the local time stands without an offset.
            }
        }
        return iso.toString();
    }

    /**
     * UserComment starts with an 8-byte character-code header. "ASCII" is read as UTF-8 because
     * generators write UTF-8 under it (Chinese prompts, JSON labels); "UNICODE" is UTF-16 in the
     * TIFF byte order, which metadata-extractor does not pass on, so it is guessed from where the
     * zero bytes of the mostly-ASCII text fall. JIS text is not read: no label is written in it.
     */
    static String decodeUserComment(byte[] raw) {
        if (raw.length < 8) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        byte[] header = Arrays.copyOf(raw, 8);
        if (Arrays.equals(header, UNICODE)) {
            return utf16(raw, 8);
        }
        if (Arrays.equals(header, JIS)) {
            return null;
        }
        boolean undefined = Arrays.equals(header, new byte[8]);
        int from = Arrays.equals(header, ASCII) || undefined ? 8 : 0;
        return new String(raw, from, raw.length - from, StandardCharsets.UTF_8);
    }

    private static String utf16(byte[] raw, int from) {
        int length = (raw.length - from) & ~1;
        if (length >= 2) {
            int b0 = raw[from] & 0xff;
            int b1 = raw[from + 1] & 0xff;
            if (b0 == 0xFE && b1 == 0xFF) {
                return new String(raw, from + 2, length - 2, StandardCharsets.UTF_16BE);
            }
            if (b0 == 0xFF && b1 == 0xFE) {
                return new String(raw, from + 2, length - 2, StandardCharsets.UTF_16LE);
            }
        }
        int zerosAtEven = 0;
        int zerosAtOdd = 0;
        for (int i = 0; i < length; i++) {
            if (raw[from + i] == 0) {
                if ((i & 1) == 0) {
                    zerosAtEven++;
                } else {
                    zerosAtOdd++;
                }
            }
        }
        return new String(raw, from, length,
                zerosAtEven > zerosAtOdd ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
    }
}
