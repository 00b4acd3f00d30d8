package io.refundguard.job;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertViews;
import io.refundguard.alerts.OutputJson;
import io.refundguard.alerts.Verdict;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.RequestKeys;
import java.util.Base64;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.util.Collector;

/** Serialises outputs, with the record keys and per-platform views of the contract. */
public final class ToOutbound {
    private ToOutbound() {}

    /** Each alert goes to the full topic and, when views are on, to each involved platform's view. */
    public static FlatMapFunction<Alert, OutboundRecord> alerts(boolean platformViews) {
        return (Alert alert, Collector<OutboundRecord> out) -> {
            String key = alert.subject().topicKey();
            out.collect(new OutboundRecord(OutputKind.ALERT, null, key, OutputJson.bytes(alert)));
            if (platformViews) {
                for (String platform : alert.platforms()) {
                    Alert view = AlertViews.forPlatform(alert, platform);
                    // The view's own subject: a fallback person key of another platform is hidden
                    // in the record key too, not only in the value.
                    out.collect(new OutboundRecord(OutputKind.ALERT, platform, view.subject().topicKey(),
                            OutputJson.bytes(view)));
                }
            }
        };
    }

    public static FlatMapFunction<Verdict, OutboundRecord> verdicts(boolean platformViews) {
        return (Verdict verdict, Collector<OutboundRecord> out) -> {
            String key = RequestKeys.of(verdict.platform(), verdict.requestId());
            byte[] value = OutputJson.bytes(verdict);
            out.collect(new OutboundRecord(OutputKind.VERDICT, null, key, value));
            if (platformViews) {
                out.collect(new OutboundRecord(OutputKind.VERDICT, verdict.platform(), key, value));
            }
        };
    }

    /**
     * Dead letters keep the input's key, as the contract says (its first {@link DeadLetter#MAX_KEY_BYTES}),
     * and at most {@code maxValueBytes} of the value, so that every one fits a producer request.
     */
    public static MapFunction<DeadLetter, OutboundRecord> deadLetters(int maxValueBytes) {
        return original -> {
            DeadLetter letter = original.bounded(maxValueBytes);
            return new OutboundRecord(OutputKind.DEAD_LETTER, null,
                    letter.key() == null ? null : new String(Base64.getDecoder().decode(letter.key()),
                            java.nio.charset.StandardCharsets.UTF_8),
                    OutputJson.bytes(letter));
        };
    }
}
