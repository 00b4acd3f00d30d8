package io.refundguard;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojo;
import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.refundguard.alerts.Alert;
import io.refundguard.alerts.AlertMark;
import io.refundguard.alerts.Assessment;
import io.refundguard.alerts.ReportAutomaticApprovals;
import io.refundguard.alerts.Verdict;
import io.refundguard.alerts.VerdictAssembler;
import io.refundguard.events.CatalogImage;
import io.refundguard.events.DeadLetter;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.RawRecord;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.PersonEvent;
import io.refundguard.job.OutboundRecord;
import io.refundguard.patterns.RequestRecord;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every type that crosses the network or lives in state is serialised by Flink's POJO serializer,
 * field by field, never by Kryo: Kryo is slower, and its state cannot evolve with the schema.
 */
class PojoSerializationTest {

    static Stream<Class<?>> typesOnTheWireOrInState() {
        return Stream.of(
                RefundEvent.class,
                DecodedEvent.class,
                RawRecord.class,
                DeadLetter.class,
                PersonEvent.class,
                io.refundguard.identity.Retraction.class,
                io.refundguard.patterns.ClusterMemberships.Membership.class,
                RequestRecord.class,
                AlertMark.class,
                Alert.class,
                Assessment.class,
                Verdict.class,
                VerdictAssembler.PartialVerdict.class,
                ReportAutomaticApprovals.AwaitingVerdict.class,
                ReportAutomaticApprovals.HeldVerdict.class,
                OutboundRecord.class,
                CatalogImage.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typesOnTheWireOrInState")
    void isSerialisedAsPojo(Class<?> type) {
        assertSerializedAsPojo(type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("typesOnTheWireOrInState")
    void needsNoKryoForAnyField(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
