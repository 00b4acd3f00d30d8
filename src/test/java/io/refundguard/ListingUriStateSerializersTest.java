package io.refundguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.identity.PersonEvent;
import io.refundguard.images.EvidenceMatch;
import io.refundguard.images.ImageLookup;
import io.refundguard.images.ListedPhoto;
import io.refundguard.patterns.AttributedRequest;
import io.refundguard.patterns.MerchantRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every keyed state whose type holds a {@link ListedPhoto} or a {@code CopyFinding}, directly or
 * nested, accepts the serializer snapshot release 02d8739 stored for it, by migration: those two
 * records gained a field ({@code uri}, {@code listingUri}) since, which Flink's POJO serializer
 * fills with null. The operator snapshots restored by {@code ListingPhotosRestoreTest},
 * {@code GatherImageFindingsRestoreTest} and {@code PersonPatternsRestoreTest} show the data
 * coming through; this covers the states they do not hold data for (the other operators buffering
 * {@link PersonEvent}s).
 *
 * <p>{@code src/test/resources/savepoint/state-serializers-02d8739.bin} (entries: state, length,
 * versioned snapshot, as in {@code state-serializers.bin}) was written by the code of 02d8739, in a
 * throwaway worktree, from the type information below with generic types off, as the job runs.
 */
class ListingUriStateSerializersTest {
    private static final Map<String, TypeInformation<?>> STATES = new LinkedHashMap<>();

    static {
        STATES.put("listing-photos/listing-photos-by-id", TypeInformation.of(ListedPhoto.class));
        STATES.put("gather-image-findings/matches-by-pair", TypeInformation.of(EvidenceMatch.class));
        STATES.put("gather-image-findings/request-awaiting-images", TypeInformation.of(ImageLookup.class));
        STATES.put("person-patterns, image-clusters, cluster-memberships/pending-by-event-time",
                Types.LIST(TypeInformation.of(PersonEvent.class)));
        STATES.put("merchant-bursts/pending-by-event-time", Types.LIST(TypeInformation.of(MerchantRequest.class)));
        STATES.put("shared-attribute-rings/pending-by-event-time", Types.LIST(TypeInformation.of(AttributedRequest.class)));
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
    void theSnapshotOf02d8739RestoresByMigration(String state) throws IOException {
        TypeSerializerSnapshot<Object> previous = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(stored().get(state)), getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<Object> compatibility = StateSerializersTest.compatibility(STATES.get(state),
                previous);
        assertThat(compatibility.isCompatibleAfterMigration()).as(state + ": " + compatibility).isTrue();
    }

    private static Map<String, byte[]> stored() throws IOException {
        return StateSerializersTest.stored("/savepoint/state-serializers-02d8739.bin");
    }
}
