package io.refundguard.images;

import io.refundguard.identity.PersonEvent;
import io.refundguard.images.index.IndexEntry;
import java.util.List;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** Runs one element through {@link LookUpEvidence}, as the job does, and hands back what it sent to the indexes. */
final class ErasureProbes {
    record Sent(List<IndexEntry> entries, List<ExactProbe> exact) {}

    private ErasureProbes() {}

    static Sent lookUp(PersonEvent element) throws Exception {
        try (OneInputStreamOperatorTestHarness<PersonEvent, PersonEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new LookUpEvidence(LookUpEvidenceTest.SETTINGS))) {
            harness.processElement(element, element.timestamp());
            return new Sent(LookUpEvidenceTest.side(harness, LookUpEvidence.INDEX_ENTRIES),
                    LookUpEvidenceTest.side(harness, LookUpEvidence.EXACT_PROBES));
        }
    }
}
