package io.refundguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.alerts.AlertMark;
import io.refundguard.alerts.ReportAutomaticApprovals;
import io.refundguard.alerts.VerdictAssembler;
import io.refundguard.events.CatalogImage;
import io.refundguard.events.RefundEvent;
import io.refundguard.identity.LinkRequestToPerson;
import io.refundguard.identity.PersonEvent;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ExactProbe;
import io.refundguard.images.ImageLookup;
import io.refundguard.images.IndexedImage;
import io.refundguard.patterns.AttributedRequest;
import io.refundguard.patterns.ClusterMember;
import io.refundguard.patterns.ClusterMemberships;
import io.refundguard.patterns.MerchantBaseline;
import io.refundguard.patterns.MerchantRequest;
import io.refundguard.patterns.PersonRequest;
import io.refundguard.patterns.RequestRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A savepoint of the previous release restores into this build: the serializer snapshot it stored
 * for each keyed state still reads, and this build's serializer of the state accepts it. A
 * snapshot names the classes it serialises (a POJO's, its fields', an enum's), so a state type
 * that moves to another package or is renamed fails here: such a move needs a state migration.
 */
class StateSerializersTest {
    private static final Map<String, TypeInformation<?>> STATES = new LinkedHashMap<>();

    static {
        STATES.put("erasure-ledger/request-routes-by-request", TypeInformation.of(RefundEvent.class));
        STATES.put("link-request-to-person/events-waiting-for-their-request",
                TypeInformation.of(LinkRequestToPerson.Waiting.class));
        STATES.put("catalog-registry/filed-listing-photo", TypeInformation.of(IndexedImage.class));
        STATES.put("exact-duplicate-index/evidence-with-this-sha256", TypeInformation.of(IndexedImage.class));
        STATES.put("gather-image-findings/request-awaiting-images", TypeInformation.of(ImageLookup.class));
        STATES.put("gather-image-findings/matches-by-pair", TypeInformation.of(EvidenceMatch.class));
        STATES.put("person-patterns/refund-requests-by-key", TypeInformation.of(RequestRecord.class));
        STATES.put("cluster-memberships/cluster-of-request", TypeInformation.of(ClusterMemberships.Membership.class));
        STATES.put("image-clusters/cluster-members-by-request", TypeInformation.of(ClusterMember.class));
        STATES.put("shared-attribute-rings/ring-members-by-request", TypeInformation.of(PersonRequest.class));
        STATES.put("merchant-bursts/window-requests-by-request", TypeInformation.of(PersonRequest.class));
        STATES.put("merchant-bursts/refund-only-baseline", TypeInformation.of(MerchantBaseline.class));
        STATES.put("pattern operators/last-alert-by-pattern", TypeInformation.of(AlertMark.class));
        STATES.put("assemble-verdicts/assessments-so-far", TypeInformation.of(VerdictAssembler.PartialVerdict.class));
        STATES.put("report-automatic-approvals/request-awaiting-verdict",
                TypeInformation.of(ReportAutomaticApprovals.AwaitingVerdict.class));
        STATES.put("report-automatic-approvals/held-verdict-awaiting-decision",
                TypeInformation.of(ReportAutomaticApprovals.HeldVerdict.class));
        STATES.put("person-patterns, image-clusters, cluster-memberships/pending-by-event-time",
                Types.LIST(TypeInformation.of(PersonEvent.class)));
        STATES.put("shared-attribute-rings/pending-by-event-time", Types.LIST(TypeInformation.of(AttributedRequest.class)));
        STATES.put("merchant-bursts/pending-by-event-time", Types.LIST(TypeInformation.of(MerchantRequest.class)));
        STATES.put("catalog-registry/pending-by-event-time", Types.LIST(TypeInformation.of(CatalogImage.class)));
        STATES.put("exact-duplicate-index/pending-by-event-time", Types.LIST(TypeInformation.of(ExactProbe.class)));
    }

    static Stream<String> states() {
        return STATES.keySet().stream();
    }

    @Test
    void theStoredSnapshotsAreOfTheseStates() throws IOException {
        assertThat(stored().keySet()).containsExactlyElementsOf(STATES.keySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("states")
    void thePreviousReleasesSnapshotRestoresIntoThisBuild(String state) throws IOException {
        TypeSerializerSnapshot<Object> previous = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(stored().get(state)), getClass().getClassLoader());
        assertThat(compatibility(STATES.get(state), previous).isIncompatible()).as(state).isFalse();
    }

    /** How this build's serializer for {@code type} judges a stored serializer snapshot. */
    @SuppressWarnings("unchecked")
    static TypeSerializerSchemaCompatibility<Object> compatibility(TypeInformation<?> type,
            TypeSerializerSnapshot<Object> previous) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<Object> current = (TypeInformation<Object>) type;
        return current.createSerializer(config).snapshotConfiguration().resolveSchemaCompatibility(previous);
    }

    private static Map<String, byte[]> stored() throws IOException {
        return stored("/savepoint/state-serializers.bin");
    }

    /** Serializer snapshots by state name, as the generators write them (name, length, bytes). */
    static Map<String, byte[]> stored(String resource) throws IOException {
        Map<String, byte[]> snapshots = new LinkedHashMap<>();
        try (InputStream in = StateSerializersTest.class.getResourceAsStream(resource)) {
            DataInputDeserializer entries = new DataInputDeserializer(in.readAllBytes());
            while (entries.available() > 0) {
                String state = entries.readUTF();
                byte[] snapshot = new byte[entries.readInt()];
                entries.readFully(snapshot);
                snapshots.put(state, snapshot);
            }
        }
        return snapshots;
    }
}
