package io.refundguard.images;

/**
 * The photo allow-list of a rule set, from the time that rule set takes effect: what the gather
 * needs of the rule-set updates, without the rest of the rules.
 */
public record AllowListUpdate(long effectiveFrom, String version, PhotoAllowList allowList) {}
