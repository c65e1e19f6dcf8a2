package io.queueview.queue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The move rule: where a moved entry goes is said only with priority and rank_stamp, so that any reader of the
 * queue order (this view, a dispatcher following queue-changes) serves the new order.
 *
 * <p>To put entry x between neighbours {@code previous} and {@code next} (either may be absent):
 * <ul>
 *   <li>to the head (no previous): x takes next's priority and next's rank_stamp - 1;</li>
 *   <li>to the tail (no next): x takes previous's priority and previous's rank_stamp + 1;</li>
 *   <li>otherwise x takes the first of (next.priority, next.rank_stamp - 1), (next.priority, next.rank_stamp),
 *       (previous.priority, previous.rank_stamp + 1), (previous.priority, previous.rank_stamp) that sorts strictly
 *       between the two (x's id decides among equal priority and rank_stamp);</li>
 *   <li>when none does (neighbours of equal priority with equal or adjacent rank_stamps), x takes
 *       (previous.priority, previous.rank_stamp + 1), and next and the entries after it at that priority whose
 *       rank_stamp is not greater than the one placed before them take that rank_stamp + 1 — just enough to keep
 *       their order.</li>
 * </ul>
 */
public final class Placement {

    private Placement() {
    }

    /** Thrown when the rule would need a rank_stamp beyond the range of a Long. */
    public static final class NoRoom extends Exception {
        public NoRoom(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param moved    the entry being moved (not among the others)
     * @param previous the entry it will follow, or null for the head
     * @param next     the entry it will precede, or null for the tail
     * @param later    the entries after next, in queue order (read only as far as needed)
     * @return the entries that change: the moved one (unless it keeps its values), then any entries shifted to
     *         make room
     */
    public static List<Entry> between(Entry moved, Entry previous, Entry next, Iterator<Entry> later) throws NoRoom {
        try {
            if (previous == null && next == null) {
                return List.of();
            }
            if (next == null) {
                return List.of(moved.withOrder(previous.priority(), Math.addExact(previous.rankStamp(), 1)));
            }
            if (previous == null) {
                return List.of(moved.withOrder(next.priority(), Math.subtractExact(next.rankStamp(), 1)));
            }
            for (Entry candidate : candidates(moved, previous, next)) {
                if (Entry.QUEUE_ORDER.compare(previous, candidate) < 0 && Entry.QUEUE_ORDER.compare(candidate, next) < 0) {
                    return List.of(candidate);
                }
            }
            List<Entry> changes = makeRoom(moved.withOrder(previous.priority(), Math.addExact(previous.rankStamp(), 1)),
                    next, later);
            changes.remove(moved); // it may already have that priority and rank_stamp: then only the others move
            return changes;
        } catch (ArithmeticException overflow) {
            throw new NoRoom("no rank_stamp is left beyond " + (next == null ? previous : next).rankStamp());
        }
    }

    private static List<Entry> candidates(Entry moved, Entry previous, Entry next) {
        List<Entry> candidates = new ArrayList<>(4);
        if (next.rankStamp() != Long.MIN_VALUE) {
            candidates.add(moved.withOrder(next.priority(), next.rankStamp() - 1));
        }
        candidates.add(moved.withOrder(next.priority(), next.rankStamp()));
        if (previous.rankStamp() != Long.MAX_VALUE) {
            candidates.add(moved.withOrder(previous.priority(), previous.rankStamp() + 1));
        }
        candidates.add(moved.withOrder(previous.priority(), previous.rankStamp()));
        return candidates;
    }

    private static List<Entry> makeRoom(Entry placed, Entry next, Iterator<Entry> later) {
        List<Entry> changes = new ArrayList<>();
        changes.add(placed);
        Entry before = placed;
        Entry current = next;
        while (current != null && current.priority() == before.priority() && current.rankStamp() <= before.rankStamp()) {
            before = current.withOrder(current.priority(), Math.addExact(before.rankStamp(), 1));
            changes.add(before);
            current = later.hasNext() ? later.next() : null;
        }
        return changes;
    }
}
