package io.refundguard.console;

/**
 * Who is looking: the operator sees the full topics, a platform's analyst only that platform's
 * views ({@code refund-alerts.<platform>}), as the platform's Kafka consumers would.
 *
 * @param platform null for the operator
 */
public record Viewer(String name, Role role, String platform) {
    public enum Role { OPERATOR, ANALYST }

    public Viewer {
        if (role == Role.ANALYST && (platform == null || platform.isBlank())) {
            throw new IllegalArgumentException("analyst " + name + " needs a platform");
        }
        if (role == Role.OPERATOR) {
            platform = null;
        }
    }

    /** The view this user reads: null for the full alerts, else the platform code. */
    public String view() {
        return platform;
    }

    /** The {@code source} of the outcome events this user's decisions become. */
    public String source() {
        return "console:" + name;
    }
}
