package io.queueview.topology;

import static io.queueview.testing.EventJson.enqueued;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.queueview.command.CommandOutcome;
import io.queueview.command.MoveEntry;
import io.queueview.queue.Entry;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ProjectorDriver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property tests of move commands, through the whole topology: over random queues full of equal priorities and
 * rank_stamps, every move puts the entry exactly where asked, changes nothing but priorities and rank_stamps,
 * and publishes each entry it changed.
 */
class MoveCommandsTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MoveOperation[] OPERATIONS = MoveOperation.values();

    @TempDir
    Path dataDir;

    @RepeatedTest(12)
    void everyMovePutsTheEntryExactlyWhereAskedOverLongRuns() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
            for (int i = 0; i < size; i++) {
                // tiny value ranges: equal priorities, equal and adjacent rank_stamps are the common case
                driver.send(enqueued("p", "PROCESSOR", random.nextInt(1000))
                        .with("priority", random.nextInt(3) - 1).with("rank_stamp", random.nextInt(4))
                        .with("data_id", "D" + i));
            }
            driver.changes();
            List<Long> expected = new ArrayList<>(driver.ids(QUEUE));
            for (int step = 0; step < 150; step++) {
                long id = expected.get(random.nextInt(expected.size()));
                MoveOperation operation = OPERATIONS[random.nextInt(OPERATIONS.length)];
                Map<Long, Entry> before = byId(driver.queue(QUEUE));
                String what = "seed " + seed + ", step " + step + ": " + operation + " of " + id + " in " + expected;

                assertEquals(CommandOutcome.APPLIED, driver.submit(
                        new MoveEntry(UUID.randomUUID().toString(), QUEUE, id, operation)), what);
                apply(expected, id, operation);

                List<Entry> after = driver.queue(QUEUE);
                assertEquals(expected, after.stream().map(Entry::id).toList(), what);
                assertOnlyOrderFieldsChanged(before, after, what);
                assertPublishedExactlyTheChanged(before, after, driver.changes(), what);
                assertEquals(after, driver.stored(QUEUE), what); // the view in memory agrees with the stored entries
            }
        }
    }

    @Test
    void movingTheHeadUpOrTheTailDownChangesNothing() {
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            driver.send(enqueued("p", "PROCESSOR", 1).with("priority", 5), enqueued("p", "PROCESSOR", 2));
            driver.changes();
            List<Entry> before = driver.queue(QUEUE);
            for (MoveOperation operation : new MoveOperation[] {MoveOperation.MOVE_UP, MoveOperation.MOVE_TOP}) {
                assertEquals(CommandOutcome.APPLIED, driver.submit(new MoveEntry("c-" + operation, QUEUE, 1, operation)));
            }
            for (MoveOperation operation : new MoveOperation[] {MoveOperation.MOVE_DOWN, MoveOperation.MOVE_TAIL}) {
                assertEquals(CommandOutcome.APPLIED, driver.submit(new MoveEntry("c-" + operation, QUEUE, 2, operation)));
            }
            assertEquals(before, driver.queue(QUEUE));
            assertTrue(driver.changes().isEmpty());
        }
    }

    @Test
    void aOneEntryQueueStaysAsItIs() {
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            driver.send(enqueued("p", "PROCESSOR", 1));
            List<Entry> before = driver.queue(QUEUE);
            for (MoveOperation operation : OPERATIONS) {
                driver.submit(new MoveEntry("c-" + operation, QUEUE, 1, operation));
            }
            assertEquals(before, driver.queue(QUEUE));
        }
    }

    @Test
    void moveTopTakesTheHeadsPriorityAndARankStampJustBeforeIt() {
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            driver.send(enqueued("p", "PROCESSOR", 1).with("priority", 9).with("rank_stamp", 500),
                    enqueued("p", "PROCESSOR", 2).with("priority", -3).with("rank_stamp", 100));
            driver.submit(new MoveEntry("c1", QUEUE, 2, MoveOperation.MOVE_TOP));
            Entry head = driver.queue(QUEUE).get(0);
            assertEquals(List.of(2L, 1L), driver.ids(QUEUE));
            assertEquals(9, head.priority());
            assertEquals(499, head.rankStamp());
        }
    }

    @Test
    void aMoveWithoutRoomShiftsOnlyTheEntriesThatMustMake() {
        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            for (int id = 1; id <= 5; id++) { // one priority, one rank_stamp: only the ids order them
                driver.send(enqueued("p", "PROCESSOR", id).with("rank_stamp", 7));
            }
            driver.send(enqueued("p", "PROCESSOR", 6).with("rank_stamp", 20));
            driver.submit(new MoveEntry("c1", QUEUE, 4, MoveOperation.MOVE_UP));
            assertEquals(List.of(1L, 2L, 4L, 3L, 5L, 6L), driver.ids(QUEUE));
            Map<Long, Entry> entries = byId(driver.queue(QUEUE));
            assertEquals(7, entries.get(2L).rankStamp());
            assertEquals(8, entries.get(4L).rankStamp());
            assertEquals(9, entries.get(3L).rankStamp());
            assertEquals(10, entries.get(5L).rankStamp());
            assertEquals(20, entries.get(6L).rankStamp()); // far enough: left alone
        }
    }

    private static void apply(List<Long> order, long id, MoveOperation operation) {
        int at = order.indexOf(id);
        switch (operation) {
            case MOVE_TOP -> order.add(0, order.remove(at));
            case MOVE_TAIL -> order.add(order.remove(at));
            case MOVE_UP -> order.add(Math.max(0, at - 1), order.remove(at));
            case MOVE_DOWN -> order.add(Math.min(order.size() - 1, at + 1), order.remove(at));
        }
    }

    private static void assertOnlyOrderFieldsChanged(Map<Long, Entry> before, List<Entry> after, String what) {
        for (Entry entry : after) {
            Entry old = before.get(entry.id());
            assertEquals(old.withOrder(entry.priority(), entry.rankStamp()), entry, what);
            assertTrue(entry.priority() >= Entry.MIN_PRIORITY && entry.priority() <= Entry.MAX_PRIORITY, what);
        }
    }

    private static void assertPublishedExactlyTheChanged(Map<Long, Entry> before, List<Entry> after,
                                                         List<KeyValue<byte[], byte[]>> changes, String what)
            throws IOException {
        Map<Long, JsonNode> published = new HashMap<>();
        for (KeyValue<byte[], byte[]> change : changes) {
            JsonNode entry = JSON.readTree(change.value).get("entry");
            published.put(entry.get("id").asLong(), entry);
        }
        for (Entry entry : after) {
            boolean changed = !entry.equals(before.get(entry.id()));
            assertEquals(changed, published.containsKey(entry.id()), what + ": published " + published.keySet());
            if (changed) {
                assertEquals(entry.priority(), published.get(entry.id()).get("priority").asInt(), what);
                assertEquals(entry.rankStamp(), published.get(entry.id()).get("rank_stamp").asLong(), what);
            }
        }
    }

    private static Map<Long, Entry> byId(List<Entry> entries) {
        Map<Long, Entry> byId = new HashMap<>();
        entries.forEach(entry -> byId.put(entry.id(), entry));
        return byId;
    }
}
