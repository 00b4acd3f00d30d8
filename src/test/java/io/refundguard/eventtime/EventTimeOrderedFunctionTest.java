package io.refundguard.eventtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventTimeOrderedFunctionTest {

    /** A test element: key, event time and a tie-breaker unique per key. */
    public record Item(String key, long ts, String id) {}

    /**
     * Emits "key/id" in the order the base class hands elements over, and "key/timer@t" for the
     * timers it registered itself (the base also calls onOwnTimer at its buffering timers, so a
     * subclass checks the time is one of its own).
     */
    static final class Recorder extends EventTimeOrderedFunction<String, Item, String> {
        private final long ownTimerDelay;
        private final java.util.Set<String> ownTimers = new java.util.HashSet<>();

        Recorder(long ownTimerDelay) {
            super(TypeInformation.of(Item.class));
            this.ownTimerDelay = ownTimerDelay;
        }

        @Override
        protected long timestampOf(Item element) {
            return element.ts();
        }

        @Override
        protected String tieBreakerOf(Item element) {
            return element.id();
        }

        @Override
        protected void processInOrder(Item element, Context ctx, Collector<String> out) {
            out.collect(element.key() + "/" + element.id());
            if (ownTimerDelay >= 0) {
                ctx.timerService().registerEventTimeTimer(element.ts() + ownTimerDelay);
                ownTimers.add(element.key() + "@" + (element.ts() + ownTimerDelay));
            }
        }

        @Override
        protected void onOwnTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
            if (ownTimers.remove(ctx.getCurrentKey() + "@" + timestamp)) {
                out.collect(ctx.getCurrentKey() + "/timer@" + timestamp);
            }
        }
    }

    private KeyedOneInputStreamOperatorTestHarness<String, Item, String> harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(new Recorder(-1));
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Item, String> harness(Recorder function)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, Item, String> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), Item::key, Types.STRING);
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, Item, String> h, Item item) throws Exception {
        h.processElement(item, item.ts());
    }

    @Test
    void eventTimeLagIsTheWallClockMinusTheWatermarkTheOperatorHasSeen() throws Exception {
        Recorder function = new Recorder(-1);
        var h = harness(function);
        assertThat(function.eventTimeLagMillis(10_000)).as("no watermark yet").isEqualTo(-1);
        h.processWatermark(4_000);
        send(h, new Item("k", 5_000, "a"));
        assertThat(function.eventTimeLagMillis(10_000)).isEqualTo(6_000);
        h.processWatermark(9_000);
        assertThat(function.eventTimeLagMillis(10_000)).as("updated when the timer fires").isEqualTo(1_000);
        h.close();
    }

    @Test
    void outOfOrderArrivalIsProcessedInEventTimeOrderAtTheWatermark() throws Exception {
        send(harness, new Item("k", 300, "c"));
        send(harness, new Item("k", 100, "a"));
        send(harness, new Item("k", 200, "b"));

        assertThat(harness.extractOutputValues()).as("nothing before the watermark").isEmpty();
        assertThat(harness.numEventTimeTimers()).isEqualTo(3);

        harness.processWatermark(199);
        assertThat(harness.extractOutputValues()).containsExactly("k/a");

        harness.processWatermark(1_000);
        assertThat(harness.extractOutputValues()).containsExactly("k/a", "k/b", "k/c");
    }

    @Test
    void equalTimestampsAreOrderedByTieBreakerWithOneTimer() throws Exception {
        send(harness, new Item("k", 100, "z"));
        send(harness, new Item("k", 100, "m"));
        send(harness, new Item("k", 100, "a"));
        send(harness, new Item("k", 50, "q"));

        assertThat(harness.numEventTimeTimers()).as("one timer per distinct timestamp").isEqualTo(2);

        harness.processWatermark(100);
        assertThat(harness.extractOutputValues()).containsExactly("k/q", "k/a", "k/m", "k/z");
    }

    @Test
    void lateElementsAreProcessedAtOnceWithoutBuffering() throws Exception {
        send(harness, new Item("k", 500, "pending"));
        harness.processWatermark(200);
        int entriesBefore = harness.numKeyedStateEntries();

        send(harness, new Item("k", 150, "late"));
        send(harness, new Item("k", 200, "at-watermark"));

        assertThat(harness.extractOutputValues()).containsExactly("k/late", "k/at-watermark");
        assertThat(harness.numKeyedStateEntries()).isEqualTo(entriesBefore);
        assertThat(harness.numEventTimeTimers()).as("only the pending element's timer").isEqualTo(1);

        harness.processWatermark(500);
        assertThat(harness.extractOutputValues()).containsExactly("k/late", "k/at-watermark", "k/pending");
    }

    @Test
    void anElementOneMillisecondAheadOfTheWatermarkStillWaits() throws Exception {
        harness.processWatermark(200);
        send(harness, new Item("k", 201, "next"));
        assertThat(harness.extractOutputValues()).isEmpty();
        harness.processWatermark(201);
        assertThat(harness.extractOutputValues()).containsExactly("k/next");
    }

    @Test
    void nothingIsLeftPendingOnceTheWatermarkHasPassed() throws Exception {
        for (int i = 0; i < 10; i++) {
            send(harness, new Item("k" + (i % 3), 100 + (i % 4) * 10, "e" + i));
        }
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();

        harness.processWatermark(130);

        assertThat(harness.extractOutputValues()).hasSize(10);
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void ownTimerAtTheSameTimeRunsAfterTheElementsDueThen() throws Exception {
        try (var h = harness(new Recorder(50))) {
            send(h, new Item("k", 150, "b"));
            send(h, new Item("k", 100, "a"));
            // "a" registers its own timer at 150, the same time "b" is pending for.
            h.processWatermark(100);
            assertThat(h.extractOutputValues()).containsExactly("k/a");

            h.processWatermark(150);
            assertThat(h.extractOutputValues()).containsExactly("k/a", "k/b", "k/timer@150");

            h.processWatermark(200);
            assertThat(h.extractOutputValues()).containsExactly("k/a", "k/b", "k/timer@150", "k/timer@200");
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void anyArrivalOrderGivesTheSameOutputPerKey() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // Few distinct timestamps, so ties are frequent.
            items.add(new Item("k" + (i % 4), 1_000 + (i * 7 % 5) * 100, String.format("id%02d", (i * 13) % 40)));
        }
        Map<String, List<String>> expected = new TreeMap<>();
        items.stream()
                .sorted(Comparator.comparing(Item::key).thenComparingLong(Item::ts).thenComparing(Item::id))
                .forEach(item -> expected.computeIfAbsent(item.key(), k -> new ArrayList<>()).add(item.key() + "/" + item.id()));

        Random random = new Random(20261122L);
        for (int round = 0; round < 25; round++) {
            List<Item> shuffled = new ArrayList<>(items);
            java.util.Collections.shuffle(shuffled, random);
            try (var h = harness(new Recorder(-1))) {
                for (Item item : shuffled) {
                    send(h, item);
                }
                h.processWatermark(Long.MAX_VALUE);

                Map<String, List<String>> actual = new TreeMap<>();
                for (String out : h.extractOutputValues()) {
                    actual.computeIfAbsent(out.substring(0, out.indexOf('/')), k -> new ArrayList<>()).add(out);
                }
                assertThat(actual).as("round %d", round).isEqualTo(expected);
                assertThat(h.numKeyedStateEntries()).isZero();
                assertThat(h.numEventTimeTimers()).isZero();
            }
        }
    }
}
