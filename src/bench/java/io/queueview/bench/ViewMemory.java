package io.queueview.bench;

import io.queueview.queue.Entry;
import io.queueview.queue.QueueId;
import io.queueview.store.QueueKeys;
import io.queueview.store.ViewFill;
import io.queueview.store.QueuedEntry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The heap the queues in memory take: the benchmark's data set put into one view ({@link ViewFill}), each entry
 * decoded from its stored bytes as a task's start does (so its texts are fresh copies, as in the service), and the
 * heap measured after a full collection before and after. The command is in docs/benchmarks.md.
 */
public final class ViewMemory {

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<QueueId> queues = new ArrayList<>(size); // the stored bytes hold no queue: its key does
        List<byte[]> stored = new ArrayList<>(size);
        for (Iterator<Entry> entries = new BenchData(size, 20_251_201L).entries(); entries.hasNext(); ) {
            Entry entry = entries.next();
            queues.add(entry.queue());
            stored.add(new QueuedEntry(entry, entry.id()).toBytes());
        }
        // "put" (default): in id order, one put each; "store-put" and "rebuild": in the entries store's order (by key),
        // one put each as before issue 21's rebuild change, or as a task's rebuild does now (linked per queue, sorted)
        String how = args.length > 1 ? args[1] : "put";
        if (!how.equals("put")) {
            List<Integer> byKey = new ArrayList<>(size);
            List<byte[]> keys = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                byKey.add(i);
                keys.add(QueueKeys.entry(queues.get(i), QueuedEntry.fromBytes(queues.get(i), stored.get(i)).entry().id()));
            }
            byKey.sort((a, b) -> Arrays.compareUnsigned(keys.get(a), keys.get(b)));
            List<QueueId> sortedQueues = new ArrayList<>(size);
            List<byte[]> sortedStored = new ArrayList<>(size);
            for (int i : byKey) {
                sortedQueues.add(queues.get(i));
                sortedStored.add(stored.get(i));
            }
            queues = sortedQueues;
            stored = sortedStored;
        }
        long before = usedAfterCollection(); // the data set in both measurements: the difference is the view
        ViewFill view = new ViewFill();
        long queued = 0;
        long started = System.nanoTime();
        long cpuStarted = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime(); // a loaded machine: CPU too
        for (int i = 0; i < stored.size(); i++) {
            QueuedEntry queuedEntry = QueuedEntry.fromBytes(queues.get(i), stored.get(i));
            if (how.equals("rebuild")) {
                view.load(queuedEntry);
                queued++;
            } else if (view.put(queuedEntry)) {
                queued++;
            }
        }
        view.loaded();
        long putMillis = (System.nanoTime() - started) / 1_000_000;
        long putCpuMillis = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStarted) / 1_000_000;
        long after = usedAfterCollection();
        Reference.reachabilityFence(view); // live until measured
        System.out.printf("| entries | heap of the view (MiB) | bytes per entry | decode and put, %s (ms) | its thread's CPU (ms) |%n",
                how.equals("put") ? "in id order" : how + ", in the store's order");
        System.out.printf("|---:|---:|---:|---:|---:|%n");
        System.out.printf("| %,d | %,.0f | %,d | %,d | %,d |%n", queued, (after - before) / 1048576.0,
                (after - before) / Math.max(1, queued), putMillis, putCpuMillis);
    }

    private static long usedAfterCollection() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
