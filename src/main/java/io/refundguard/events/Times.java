package io.refundguard.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** ISO-8601 rendering with an offset, as the contract writes every time. */
public final class Times {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private Times() {}

    public static String format(long epochMillis, int utcOffsetSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.ofTotalSeconds(utcOffsetSeconds))
                .format(ISO);
    }

    public static String formatUtc(long epochMillis) {
        return format(epochMillis, 0);
    }
}
