package io.queueview.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class QueueKeysTest {

    private static final QueueId QUEUE = new QueueId("p-1", QueueType.PROCESSOR);

    @Test
    void everyKeyOfAQueueStartsWithTheQueueKeyAndNoOtherQueueDoes() {
        byte[] prefix = QueueKeys.queue(QUEUE);
        QueueId[] others = {new QueueId("p-1", QueueType.INTERNAL), new QueueId("p-10", QueueType.PROCESSOR),
                new QueueId("p", QueueType.PROCESSOR)};
        assertTrue(startsWith(QueueKeys.entry(QUEUE, Long.MIN_VALUE), prefix));
        assertTrue(startsWith(QueueKeys.entry(QUEUE, -1), prefix));
        for (QueueId other : others) {
            assertTrue(!startsWith(QueueKeys.entry(other, 0), prefix), other.toString());
        }
    }

    @Test
    void queueKeyReadsBackAsTheQueue() {
        QueueId unicode = new QueueId("项目-" + "x".repeat(61), QueueType.RESIM);
        assertEquals(unicode, QueueKeys.queueOf(QueueKeys.queue(unicode)));
        assertEquals(QUEUE, QueueKeys.queueOf(QueueKeys.entry(QUEUE, 3)));
    }

    @Test
    void entriesOfOneQueueShareItsPrefixAndNoOtherQueueDoes() {
        assertTrue(QueueKeys.sameQueue(QueueKeys.entry(QUEUE, 1), QueueKeys.entry(QUEUE, Long.MAX_VALUE)));
        QueueId[] others = {new QueueId("p-1", QueueType.INTERNAL), new QueueId("p-10", QueueType.PROCESSOR),
                new QueueId("p", QueueType.PROCESSOR)};
        for (QueueId other : others) {
            assertTrue(!QueueKeys.sameQueue(QueueKeys.entry(QUEUE, 1), QueueKeys.entry(other, 1)), other.toString());
            assertTrue(!QueueKeys.sameQueue(QueueKeys.entry(other, 1), QueueKeys.entry(QUEUE, 1)), other.toString());
        }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
