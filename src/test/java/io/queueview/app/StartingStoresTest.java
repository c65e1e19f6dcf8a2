package io.queueview.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.queueview.query.LocalStores;
import io.queueview.query.QueueUnavailable;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import io.queueview.testing.ProjectorDriver;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's stores before and after Kafka Streams is attached: nothing made up, then every figure passed on. */
class StartingStoresTest {

    @TempDir
    Path dataDir;

    @Test
    void beforeKafkaStreamsIsAttachedNothingIsKnownAndAfterItEveryFigureIsTheStoresOwn() {
        AtomicReference<LocalStores> attached = new AtomicReference<>();
        StartingStores stores = new StartingStores(attached);
        QueueId queue = new QueueId("p", QueueType.PROCESSOR);
        assertFalse(stores.ready());
        assertEquals("starting", stores.waitingFor());
        assertEquals(-1, stores.lag(0), "unknown before the start");
        assertThrows(QueueUnavailable.class, () -> stores.partitionOf(queue));

        try (ProjectorDriver driver = new ProjectorDriver(dataDir)) {
            attached.set(driver);
            driver.reportLag(17);
            assertEquals(17, stores.lag(0), "the attached stores' lag");
            assertEquals(driver.ready(), stores.ready());
            assertEquals(0, stores.partitionOf(queue).partition());
        }
    }
}
