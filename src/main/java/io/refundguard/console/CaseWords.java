package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A case in plain words, first thing on its page: "4 refund-only requests in 30 days on 3
 * platforms, 3,356.50 CNY, legal tier LARGE (数额较大)". The legal tier is named as the SPC/SPP
 * interpretation on fraud cases names it, in Chinese in both languages, because that is the term a
 * complaint to the police uses.
 */
public final class CaseWords {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([dhm])");
    private static final Map<String, String> TIER_IN_LAW = Map.of(
            "ADMINISTRATIVE", "治安管理处罚",
            "LARGE", "数额较大",
            "HUGE", "数额巨大",
            "ESPECIALLY_HUGE", "数额特别巨大");

    private CaseWords() {}

    public static String summary(JsonNode alert, Messages m) {
        String pattern = alert.path("pattern").asText();
        int requests = requestCount(alert);
        int platforms = alert.path("platforms").size();
        String head = pattern.equals("REPEAT_REFUNDER") && alert.path("details").has("window")
                ? m.format("words.repeat", requests, window(alert.path("details").path("window").asText(), m), platforms)
                : m.format("words.generic", m.get("pattern." + pattern), requests, platforms);
        StringBuilder words = new StringBuilder(head);
        String separator = m.lang().equals(Messages.CHINESE) ? "，" : ", ";
        if (alert.hasNonNull("amountTotal")) {
            words.append(separator).append(amount(alert.path("amountTotal").asText(), alert.path("currency").asText("")));
        }
        if (alert.hasNonNull("legalTier")) {
            words.append(separator).append(tier(alert.path("legalTier").asText(), m));
        }
        return words.toString();
    }

    /** Every request behind the alert, also those only counted (other platforms in a platform's view). */
    static int requestCount(JsonNode alert) {
        int listed = alert.path("requests").size();
        for (JsonNode other : alert.path("otherPlatforms")) {
            listed += other.path("requestCount").asInt();
        }
        return Math.max(listed, alert.path("details").path("requestCount").asInt(0));
    }

    public static String tier(String tier, Messages m) {
        return m.format("words.tier", tier, TIER_IN_LAW.getOrDefault(tier, tier));
    }

    /** The tier without the words "legal tier", for a labelled field: "LARGE (数额较大)". */
    public static String tierName(String tier, Messages m) {
        return m.format("words.tierName", tier, TIER_IN_LAW.getOrDefault(tier, tier));
    }

    /** "3356.5" and "CNY" → "3,356.50 CNY"; a value that is not a decimal is shown as it came. */
    public static String amount(String value, String currency) {
        try {
            DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
            return (format.format(new BigDecimal(value)) + " " + currency).trim();
        } catch (NumberFormatException e) {
            return (value + " " + currency).trim();
        }
    }

    static String window(String text, Messages m) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            return text;
        }
        String key = switch (matcher.group(2)) {
            case "d" -> "words.days";
            case "h" -> "words.hours";
            default -> "words.minutes";
        };
        return m.format(key, matcher.group(1));
    }
}
