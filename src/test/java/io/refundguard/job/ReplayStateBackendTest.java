package io.refundguard.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayStateBackendTest {
    private static final long TWO_GB = 2L << 30;

    @Test
    void autoKeepsAStateThatFitsOnTheHeap() {
        // 200k requests without photos: ~0.6 GB, within 60 % of 2 GB
        ReplayStateBackend choice = ReplayStateBackend.choose("auto", new ReplayStateEstimate(200_000, 0, 0, 0), TWO_GB);

        assertThat(choice.backend()).isEqualTo("hashmap");
        assertThat(choice.reason()).contains("on the heap", "200,000 requests");
    }

    @Test
    void autoMovesAStateThatWouldNotFitToRocksDbAndSaysHowMuchHeapWouldKeepIt() {
        // 400k requests with one photo each: ~2.6 GB, over 1.2 GB
        ReplayStateBackend choice = ReplayStateBackend.choose("auto",
                new ReplayStateEstimate(400_000, 400_000, 55_678, 12_000_000), TWO_GB);

        assertThat(choice.backend()).isEqualTo("rocksdb");
        assertThat(choice.reason()).contains("in RocksDB", "400,000 evidence", "-Xmx6g");
    }

    @Test
    void theBudgetIsTheShareOfTheHeap() {
        long heap = 1_000_000_000L;
        long atBudget = (long) (heap * ReplayStateBackend.HEAP_SHARE) / ReplayStateEstimate.BYTES_PER_REQUEST;

        assertThat(ReplayStateBackend.choose("auto", new ReplayStateEstimate(atBudget, 0, 0, 0), heap).backend())
                .isEqualTo("hashmap");
        assertThat(ReplayStateBackend.choose("auto", new ReplayStateEstimate(atBudget + 1, 0, 0, 0), heap).backend())
                .isEqualTo("rocksdb");
    }

    @Test
    void aForcedBackendIsKeptWhateverTheInput() {
        ReplayStateEstimate huge = new ReplayStateEstimate(100_000_000, 100_000_000, 0, 0);

        assertThat(ReplayStateBackend.choose("hashmap", huge, TWO_GB).backend()).isEqualTo("hashmap");
        assertThat(ReplayStateBackend.choose("rocksdb", new ReplayStateEstimate(1, 0, 0, 0), TWO_GB).backend())
                .isEqualTo("rocksdb");
    }

    @Test
    void aForcedBackendDoesNotReadTheInput() throws Exception {
        // A file that does not exist: a scan would fail, so passing shows none happened.
        java.nio.file.Path missing = java.nio.file.Path.of("no-such-events.jsonl");

        assertThat(ReplayStateBackend.choose("rocksdb", missing, null, TWO_GB).backend()).isEqualTo("rocksdb");
        assertThat(ReplayStateBackend.choose("hashmap", missing, null, TWO_GB).reason())
                .isEqualTo("replay.stateBackend=hashmap");
    }
}
