package io.queueview.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.queue.QueueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class QueueKeysTest {

    private static final QueueId QUEUE = new QueueId("p-1", QueueType.PROCESSOR);
    private static final long[] EXTREMES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    @RepeatedTest(20)
    void byteOrderOfOrderKeysIsQueueOrder() {
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            // few distinct values, so equal priorities and rank_stamps are common; extremes included
            int priority = random.nextInt(5) == 0 ? (random.nextBoolean() ? -50 : 50) : random.nextInt(7) - 3;
            long rankStamp = random.nextInt(4) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextInt(9) - 4;
            long id = random.nextInt(4) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextLong();
            entries.add(entry(id, priority, rankStamp));
        }
        List<Entry> byQueueOrder = entries.stream().sorted(Entry.QUEUE_ORDER).toList();
        List<Entry> byKeyBytes = entries.stream()
                .sorted(Comparator.comparing(QueueKeysTest::orderKey, Arrays::compareUnsigned)).toList();
        assertEquals(byQueueOrder, byKeyBytes, "seed " + seed);
    }

    @Test
    void equalOrderFieldsGiveEqualKeys() {
        assertEquals(0, Arrays.compareUnsigned(orderKey(entry(7, -3, 5)), orderKey(entry(7, -3, 5))));
    }

    @Test
    void everyKeyOfAQueueStartsWithTheQueueKeyAndNoOtherQueueDoes() {
        byte[] prefix = QueueKeys.queue(QUEUE);
        QueueId[] others = {new QueueId("p-1", QueueType.INTERNAL), new QueueId("p-10", QueueType.PROCESSOR),
                new QueueId("p", QueueType.PROCESSOR)};
        assertTrue(startsWith(QueueKeys.order(QUEUE, 50, Long.MIN_VALUE, Long.MAX_VALUE), prefix));
        assertTrue(startsWith(QueueKeys.entry(QUEUE, -1), prefix));
        for (QueueId other : others) {
            assertTrue(!startsWith(QueueKeys.order(other, 0, 0, 0), prefix), other.toString());
        }
    }

    @Test
    void queueKeyReadsBackAsTheQueue() {
        QueueId unicode = new QueueId("项目-" + "x".repeat(61), QueueType.RESIM);
        assertEquals(unicode, QueueKeys.queueOf(QueueKeys.queue(unicode)));
        assertEquals(QUEUE, QueueKeys.queueOf(QueueKeys.order(QUEUE, 1, 2, 3)));
    }

    private static byte[] orderKey(Entry e) {
        return QueueKeys.order(e.queue(), e.priority(), e.rankStamp(), e.id());
    }

    private static Entry entry(long id, int priority, long rankStamp) {
        return new Entry(QUEUE, id, id, priority, rankStamp, null, null, null, null, null, null, null, null, null, null);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
