package io.refundguard.patterns;

/** Rule sets that differ from the configured one in one place, for tests of live updates. */
public final class RuleSets {
    private RuleSets() {}

    public static RuleSet withRepeatRefunder(RuleSet r, String version, int minRequests) {
        RepeatRefunderRule repeat = r.repeatRefunder();
        return new RuleSet(version,
                new RepeatRefunderRule(repeat.window(), minRequests, repeat.crossPlatformMinPlatforms(), repeat.criticalRequests()),
                r.amountTier(), r.imageReuse(), r.catalogMatch(), r.aiGenerated(), r.sharedAttributeRing(),
                r.merchantBurst(), r.alerts(), r.verdict(), r.photoAllowList());
    }

    public static RuleSet withVersion(RuleSet r, String version) {
        return new RuleSet(version, r.repeatRefunder(), r.amountTier(), r.imageReuse(), r.catalogMatch(),
                r.aiGenerated(), r.sharedAttributeRing(), r.merchantBurst(), r.alerts(), r.verdict(), r.photoAllowList());
    }

    public static RuleSet withAllowList(RuleSet r, String version, io.refundguard.images.PhotoAllowList allowList) {
        return new RuleSet(version, r.repeatRefunder(), r.amountTier(), r.imageReuse(), r.catalogMatch(),
                r.aiGenerated(), r.sharedAttributeRing(), r.merchantBurst(), r.alerts(), r.verdict(), allowList);
    }
}
