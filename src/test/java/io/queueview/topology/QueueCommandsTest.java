package io.queueview.topology;

import static io.queueview.testing.EventJson.dequeued;
import static io.queueview.testing.EventJson.enqueued;
import static io.queueview.testing.EventJson.updated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.command.CommandJson;
import io.queueview.command.CommandOutcome;
import io.queueview.command.MoveEntry;
import io.queueview.command.SetPriority;
import io.queueview.queue.Entry;
import io.queueview.queue.MoveOperation;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.store.QueueKeys;
import io.queueview.testing.ProjectorDriver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's commands in the projector: outcomes, all-or-nothing, re-delivery, and their place among events. */
class QueueCommandsTest {

    private static final QueueId QUEUE = new QueueId("p", QueueType.PROCESSOR);

    @TempDir
    Path dataDir;
    private ProjectorDriver driver;

    @BeforeEach
    void start() {
        driver = new ProjectorDriver(dataDir);
        for (int id = 1; id <= 4; id++) {
            driver.send(enqueued("p", "PROCESSOR", id).with("priority", 10 - id).version(1));
        }
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void batchUpdateGivesEveryEntryThePriorityAndKeepsRankStamps() {
        assertEquals(CommandOutcome.APPLIED, driver.submit(new SetPriority("c1", QUEUE, List.of(4L, 3L), 50)));
        assertEquals(List.of(3L, 4L, 1L, 2L), driver.ids(QUEUE));
        Entry three = driver.queue(QUEUE).get(0);
        assertEquals(50, three.priority());
        assertEquals(1_000_003L, three.rankStamp());
    }

    @Test
    void batchUpdateWithAnIdNotQueuedChangesNothing() {
        List<Entry> before = driver.queue(QUEUE);
        driver.changes();
        assertEquals(CommandOutcome.NOT_FOUND, driver.submit(new SetPriority("c1", QUEUE, List.of(1L, 99L), -50)));
        assertEquals(before, driver.queue(QUEUE));
        assertTrue(driver.changes().isEmpty());
    }

    @Test
    void aMoveOfAnEntryNotQueuedIsNotFound() {
        driver.send(dequeued("p", "PROCESSOR", 2).version(2));
        assertEquals(CommandOutcome.NOT_FOUND, driver.submit(new MoveEntry("c1", QUEUE, 2, MoveOperation.MOVE_TOP)));
        assertEquals(CommandOutcome.NOT_FOUND, driver.submit(
                new MoveEntry("c2", new QueueId("p", QueueType.RESIM), 1, MoveOperation.MOVE_TOP)));
    }

    @Test
    void aCommandDeliveredTwiceAppliesOnce() {
        MoveEntry down = new MoveEntry("same-id", QUEUE, 1, MoveOperation.MOVE_DOWN);
        driver.submit(down);
        driver.submit(down);
        assertEquals(List.of(2L, 1L, 3L, 4L), driver.ids(QUEUE));
    }

    @Test
    void commandsAndEventsApplyInTheOrderTheyArrive() {
        driver.submit(new MoveEntry("c1", QUEUE, 4, MoveOperation.MOVE_TOP));
        assertEquals(List.of(4L, 1L, 2L, 3L), driver.ids(QUEUE));
        // the scheduler's later change wins over the move, as any later change does
        driver.send(updated("p", "PROCESSOR", 4).version(2).with("priority", -50));
        assertEquals(List.of(1L, 2L, 3L, 4L), driver.ids(QUEUE));
        driver.submit(new SetPriority("c2", QUEUE, List.of(3L), 50));
        driver.send(enqueued("p", "PROCESSOR", 5).with("priority", 50).with("rank_stamp", 0));
        assertEquals(List.of(5L, 3L, 1L, 2L, 4L), driver.ids(QUEUE));
        // a command keeps the entry's recorded version: a stale scheduler event still loses
        driver.send(updated("p", "PROCESSOR", 3).version(1).with("priority", 0));
        assertEquals(50, driver.queue(QUEUE).get(1).priority());
    }

    @Test
    void aRecordOnTheCommandsTopicThatIsNotACommandIsSkipped() {
        driver.sendCommandRaw(QueueKeys.queue(QUEUE), "{oops".getBytes(StandardCharsets.UTF_8));
        assertEquals(CommandOutcome.APPLIED, driver.submit(new MoveEntry("c1", QUEUE, 2, MoveOperation.MOVE_UP)));
        assertEquals(List.of(2L, 1L, 3L, 4L), driver.ids(QUEUE));
    }

    @Test
    void commandsReadBackAsWritten() {
        SetPriority set = new SetPriority("c1", QUEUE, List.of(1L, -2L), -50);
        MoveEntry move = new MoveEntry("c2", new QueueId("项目", QueueType.RESIM), Long.MAX_VALUE, MoveOperation.MOVE_TAIL);
        assertEquals(set, CommandJson.decode(CommandJson.encode(set)));
        assertEquals(move, CommandJson.decode(CommandJson.encode(move)));
    }
}
