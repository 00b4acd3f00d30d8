package io.refundguard.events;

import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The contract's time format, read by hand: ISO-8601 extended, {@code yyyy-MM-ddTHH:mm}, optional
 * {@code :ss} and {@code .f} (1-9 digits), offset {@code Z} or {@code ±hh:mm} — the shape the
 * JSON Schema allows, no more (the JDK parser alone also takes {@code +08}, {@code +08:00:00} and
 * a lower-case {@code t}, which platforms' own validators reject).
 *
 * <p>Why by hand: every event carries two or three times, and the regular expression plus
 * {@code DateTimeFormatter} that did this were an eighth of a replay's CPU (profile in
 * docs/benchmarks.md). Field ranges (month 13, 30 February, hour 24, second 60) are still checked,
 * by {@link OffsetDateTime#of}.
 */
final class ContractTime {
    private ContractTime() {}

    /** The time, or null when the text is not of the contract's shape or not a valid time. */
    static OffsetDateTime parse(String text) {
        int n = text.length();
        if (n < 17 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 2) || text.charAt(7) != '-'
                || !digits(text, 8, 2) || text.charAt(10) != 'T' || !digits(text, 11, 2) || text.charAt(13) != ':'
                || !digits(text, 14, 2)) {
            return null;
        }
        int at = 16;
        int second = 0;
        int nano = 0;
        if (text.charAt(at) == ':') {
            if (!digits(text, at + 1, 2)) {
                return null;
            }
            second = number(text, at + 1, 2);
            at += 3;
            if (at < n && text.charAt(at) == '.') {
                int start = ++at;
                while (at < n && at - start < 10 && isDigit(text.charAt(at))) {
                    at++;
                }
                int count = at - start;
                if (count < 1 || count > 9) {
                    return null;
                }
                nano = number(text, start, count);
                for (int i = count; i < 9; i++) {
                    nano *= 10;
                }
            }
        }
        ZoneOffset offset = offset(text, at);
        if (offset == null) {
            return null;
        }
        try {
            return OffsetDateTime.of(number(text, 0, 4), number(text, 5, 2), number(text, 8, 2), number(text, 11, 2),
                    number(text, 14, 2), second, nano, offset);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static ZoneOffset offset(String text, int at) {
        int rest = text.length() - at;
        if (rest == 1 && text.charAt(at) == 'Z') {
            return ZoneOffset.UTC;
        }
        char sign = rest == 6 ? text.charAt(at) : 0;
        if ((sign != '+' && sign != '-') || !digits(text, at + 1, 2) || text.charAt(at + 3) != ':' || !digits(text, at + 4, 2)) {
            return null;
        }
        int hours = number(text, at + 1, 2);
        int minutes = number(text, at + 4, 2);
        try {
            return sign == '+' ? ZoneOffset.ofHoursMinutes(hours, minutes) : ZoneOffset.ofHoursMinutes(-hours, -minutes);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static boolean digits(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
