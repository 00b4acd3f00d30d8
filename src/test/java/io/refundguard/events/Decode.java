package io.refundguard.events;

import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Decodes contract JSON the way the job does, for tests that need {@link RefundEvent}s. */
public final class Decode {
    public static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());
    private static final EventDecoder DECODER = new EventDecoder(CONFIG.input());

    private Decode() {}

    public static RefundEvent event(String json) {
        DecodedEvent decoded = DECODER.decode(
                new RawRecord("refund-events", 0, 0, -1, null, json.getBytes(StandardCharsets.UTF_8)));
        if (!decoded.isValid()) {
            throw new AssertionError("test event rejected: " + decoded.rejected().reason() + "\n" + json);
        }
        return decoded.event();
    }
}
