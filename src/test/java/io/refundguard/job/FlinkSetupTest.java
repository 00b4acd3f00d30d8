package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.legacy.DiscardingSink;
import org.junit.jupiter.api.Test;

/** The pipeline settings every run shares: a type Flink cannot serialise itself fails, never reaches Kryo. */
class FlinkSetupTest {
    private static final RefundGuardConfig CONFIG = ConfigLoader.load(List.of());

    /** No default constructor and a field of no known type: Flink would hand it to Kryo. */
    static final class Opaque {
        final Object value;

        Opaque(Object value) {
            this.value = value;
        }
    }

    @Test
    void aTypeThatWouldFallBackToKryoFailsTheJobInTestsAndReplay() {
        assertFailsOnGenericType(StreamExecutionEnvironment.getExecutionEnvironment(FlinkSetup.pipeline()));
    }

    @Test
    void aTypeThatWouldFallBackToKryoFailsTheJobOnACluster() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(FlinkSetup.configuration(CONFIG.flink(), "hashmap", null, null));
        assertFailsOnGenericType(env);
    }

    private static void assertFailsOnGenericType(StreamExecutionEnvironment env) {
        env.fromData(1, 2, 3).map(Opaque::new).returns(Opaque.class).addSink(new DiscardingSink<>());
        assertThatThrownBy(env::getStreamGraph).hasMessageContaining("Generic types have been disabled");
    }
}
