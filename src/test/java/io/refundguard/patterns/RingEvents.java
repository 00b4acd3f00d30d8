package io.refundguard.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.events.DecodedEvent;
import io.refundguard.events.EventDecoder;
import io.refundguard.events.RawRecord;
import io.refundguard.events.RefundEvent;
import io.refundguard.events.TestEvents;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.PersonKeys;
import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.charset.StandardCharsets;

/** Decodes test requests the way the job does and attaches the person key the job would find. */
final class RingEvents {
    static final RefundGuardConfig CONFIG = ConfigLoader.load(java.util.List.of());
    static final long T0 = TestEvents.T0.toInstant().toEpochMilli();
    private static final EventDecoder DECODER = new EventDecoder(CONFIG.input());

    private RingEvents() {}

    /** The configured rules with another MERCHANT_BURST rule. */
    static RuleSet withMerchantBurst(MerchantBurstRule burst) {
        RuleSet r = CONFIG.rules();
        return new RuleSet(r.version(), r.repeatRefunder(), r.amountTier(), r.imageReuse(), r.catalogMatch(),
                r.aiGenerated(), r.sharedAttributeRing(), burst, r.alerts(), r.verdict(), r.photoAllowList());
    }

    static PersonEvent person(TestEvents.Request request) {
        RefundEvent event = decode(request.json());
        return new PersonEvent(PersonKeys.of(event.buyer(), event.platform()), event);
    }

    static RefundEvent decode(String json) {
        DecodedEvent decoded = DECODER.decode(new RawRecord("t", 0, 0, -1, null, json.getBytes(StandardCharsets.UTF_8)));
        assertThat(decoded.rejected()).isNull();
        return decoded.event();
    }
}
