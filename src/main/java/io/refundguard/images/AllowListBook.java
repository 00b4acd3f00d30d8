package io.refundguard.images;

import io.refundguard.eventtime.EffectiveTimeBook;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The allow-lists the gather filters findings with: the one from {@code config/} and those of the
 * rule sets published since, by the event time they take effect, as the rule book keeps rule sets;
 * each list's matcher is built once.
 */
public final class AllowListBook extends EffectiveTimeBook<AllowListUpdate, PhotoAllowList.Matcher> {
    private static final long serialVersionUID = 1L;
    public static final MapStateDescriptor<Long, AllowListUpdate> UPDATES = new MapStateDescriptor<>(
            "photo-allow-list-updates", Types.LONG, TypeInformation.of(AllowListUpdate.class));

    private final PhotoAllowList initial;

    public AllowListBook(PhotoAllowList initial) {
        this.initial = initial;
    }

    @Override
    protected long effectiveFrom(AllowListUpdate update) {
        return update.effectiveFrom();
    }

    @Override
    protected String version(AllowListUpdate update) {
        return update.version();
    }

    @Override
    protected PhotoAllowList.Matcher view(AllowListUpdate update) {
        return update.allowList().matcher();
    }

    @Override
    protected PhotoAllowList.Matcher initialView() {
        return initial.matcher();
    }
}
