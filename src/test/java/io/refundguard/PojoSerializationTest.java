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
import io.refundguard.events.DecodedCatalogImage;
import io.refundguard.events.DecodedEvent;
import io.refundguard.events.LocalFeatures;
import io.refundguard.events.RawRecord;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.LinkRequestToPerson;
import io.refundguard.identity.PersonEvent;
import io.refundguard.identity.Retraction;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ExactProbe;
import io.refundguard.images.ImageLookup;
import io.refundguard.images.IndexedImage;
import io.refundguard.images.CopyFinding;
import io.refundguard.images.AllowListUpdate;
import io.refundguard.images.GatherInput;
import io.refundguard.images.ListedPhoto;
import io.refundguard.images.ListingInput;
import io.refundguard.images.ListingQuery;
import io.refundguard.images.index.FiledPhoto;
import io.refundguard.images.index.IndexEntry;
import io.refundguard.images.index.IndexLookup;
import io.refundguard.images.index.PendingLookup;
import io.refundguard.images.ProbeResult;
import io.refundguard.job.OutboundRecord;
import io.refundguard.patterns.AttributedRequest;
import io.refundguard.patterns.ClusterMember;
import io.refundguard.patterns.ClusterMemberships;
import io.refundguard.patterns.DecodedRuleSetUpdate;
import io.refundguard.patterns.MerchantBaseline;
import io.refundguard.patterns.MerchantRequest;
import io.refundguard.patterns.PersonRequest;
import io.refundguard.patterns.RequestRecord;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every type that crosses the network or lives in state is serialised by Flink's POJO serializer,
 * field by field, never by Kryo: Kryo is slower, and its state cannot evolve with the schema. The
 * rule-set updates have a serializer of their own ({@code RuleSetUpdateTypeInfoTest}).
 * The whole-job tests run with generic types off, so a type missing here still fails there.
 */
class PojoSerializationTest {

    static Stream<Class<?>> typesOnTheWire() {
        return Stream.of(
                RawRecord.class,
                DecodedEvent.class,
                DecodedCatalogImage.class,
                DecodedRuleSetUpdate.class,
                RefundEvent.class,
                CatalogImage.class,
                DeadLetter.class,
                PersonEvent.class,
                Retraction.class,
                ExactProbe.class,
                IndexEntry.class,
                IndexLookup.class,
                ListingQuery.class,
                ListingInput.class,
                GatherInput.class,
                AllowListUpdate.class,
                ImageLookup.class,
                ProbeResult.class,
                AttributedRequest.class,
                MerchantRequest.class,
                Assessment.class,
                Alert.class,
                Verdict.class,
                OutboundRecord.class);
    }

    /** Keyed state values, besides the elements the event-time ordered operators buffer (on the wire above). */
    static Stream<Class<?>> typesInState() {
        return Stream.of(
                LinkRequestToPerson.Waiting.class,
                IndexedImage.class,
                FiledPhoto.class,
                PendingLookup.class,
                ListedPhoto.class,
                CopyFinding.class,
                LocalFeatures.class,
                EvidenceMatch.class,
                RequestRecord.class,
                ClusterMember.class,
                ClusterMemberships.Membership.class,
                PersonRequest.class,
                MerchantBaseline.class,
                AlertMark.class,
                VerdictAssembler.PartialVerdict.class,
                ReportAutomaticApprovals.AwaitingVerdict.class,
                ReportAutomaticApprovals.HeldVerdict.class);
    }

    static Stream<Class<?>> types() {
        return Stream.concat(typesOnTheWire(), typesInState());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void isSerialisedAsPojo(Class<?> type) {
        assertSerializedAsPojo(type);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void needsNoKryoForAnyField(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }
}
