package io.refundguard.settings;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Validation of configuration values. Messages start with the setting's name; the loader prefixes
 * the path of the section, so a user reads e.g. {@code rules.repeatRefunder.minRequests: expected
 * at least 1, got 0}.
 */
public final class Check {
    private Check() {}

    public static <T> T present(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + ": missing setting");
        }
        return value;
    }

    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": expected at least " + min + ", got " + value);
        }
        return value;
    }

    public static Duration positive(String name, Duration value) {
        present(name, value);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": expected a positive duration like 30s or 7d, got " + Durations.format(value));
        }
        return value;
    }

    public static Duration notNegative(String name, Duration value) {
        present(name, value);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + ": expected a duration of 0s or more, got " + Durations.format(value));
        }
        return value;
    }

    public static BigDecimal positive(String name, BigDecimal value) {
        present(name, value);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(name + ": expected a positive amount, got " + value.toPlainString());
        }
        return value;
    }

    public static String notBlank(String name, String value) {
        present(name, value);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + ": must not be empty");
        }
        return value;
    }

    public static <K, V> Map<K, V> covers(String name, Map<K, V> map, K[] keys) {
        present(name, map);
        for (K key : keys) {
            if (!map.containsKey(key)) {
                throw new IllegalArgumentException(name + ": missing entry for " + key);
            }
        }
        return Map.copyOf(map);
    }
}
