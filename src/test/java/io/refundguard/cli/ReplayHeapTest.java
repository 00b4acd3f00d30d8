package io.refundguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.refundguard.eventtime.StateTtl;
import io.refundguard.job.ReplayStateBackend;
import io.refundguard.job.ReplayStateEstimate;
import io.refundguard.job.config.ReplaySettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayHeapTest {
    private static final long GB = 1L << 30;
    private static final ReplaySettings AUTO = new ReplaySettings(2, "auto", StateTtl.NONE, 0.5);
    // 400k requests with one photo each and 55k listing photos: ~2.7 GB of state
    private static final ReplayStateEstimate MONTH_WITH_PHOTOS = new ReplayStateEstimate(400_000, 400_000, 55_678,
            12_000_000);

    @Test
    void aStateOverTheDefaultHeapGetsAHeapThatHoldsIt() {
        OptionalLong heap = ReplayHeap.sizeFor(AUTO, MONTH_WITH_PHOTOS, 2 * GB, 16 * GB, true);

        assertThat(heap).isPresent();
        assertThat(ReplayStateBackend.fitsOnHeap(MONTH_WITH_PHOTOS, heap.getAsLong()))
                .as("the restarted replay keeps its state on the heap").isTrue();
        assertThat(heap.getAsLong() % (1L << 28)).isZero();
        assertThat(heap.getAsLong()).isLessThanOrEqualTo(8 * GB);
    }

    @Test
    void aStateThatFitsRunsWhereItIs() {
        ReplayStateEstimate small = new ReplayStateEstimate(100_000, 0, 0, 0);

        assertThat(ReplayHeap.sizeFor(AUTO, small, 2 * GB, 16 * GB, true)).isEmpty();
    }

    @Test
    void aMachineWithoutTheMemoryLeavesItToRocksDb() {
        assertThat(ReplayHeap.sizeFor(AUTO, MONTH_WITH_PHOTOS, 2 * GB, 6 * GB, true))
                .as("5.x GB is over half of 6 GB").isEmpty();
        assertThat(ReplayHeap.sizeFor(AUTO, MONTH_WITH_PHOTOS, 2 * GB, -1, true)).as("memory unknown").isEmpty();
    }

    @Test
    void onlyTheLaunchersDefaultHeapUnderAutoIsResized() {
        assertThat(ReplayHeap.sizeFor(AUTO, MONTH_WITH_PHOTOS, 2 * GB, 16 * GB, false))
                .as("a heap the user chose").isEmpty();
        assertThat(ReplayHeap.sizeFor(new ReplaySettings(2, "rocksdb", StateTtl.NONE, 0.5), MONTH_WITH_PHOTOS,
                2 * GB, 16 * GB, true)).as("a forced backend").isEmpty();
        assertThat(ReplayHeap.sizeFor(new ReplaySettings(2, "auto", StateTtl.NONE, 0), MONTH_WITH_PHOTOS,
                2 * GB, 16 * GB, true)).as("switched off").isEmpty();
    }

    @Test
    void availableMemoryIsReadFromMeminfo(@TempDir Path dir) throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24641200 kB\nMemFree:         1000000 kB\n"
                + "MemAvailable:   15728640 kB\nBuffers:          100 kB\n");

        assertThat(ReplayHeap.memAvailable(meminfo)).isEqualTo(15L * GB);
        assertThat(ReplayHeap.memAvailable(dir.resolve("none"))).isEqualTo(-1);
    }
}
