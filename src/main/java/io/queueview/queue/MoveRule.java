package io.queueview.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The move rule: which neighbours a move puts an entry between, and the priority and rank_stamp that put it there.
 * A new place is said only with priority and rank_stamp, so that any reader of the queue order (this view, a
 * dispatcher following queue-changes) serves the new order.
 *
 * <p>The neighbours: MOVE_TOP goes before the first entry, MOVE_TAIL after the last, MOVE_UP between the two
 * entries before it, MOVE_DOWN between the two after it. The head moved up or to the top, the tail moved down or
 * to the tail, and the only entry of a queue stay where they are (nothing changes).
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
public final class MoveRule {

    private MoveRule() {
    }

    /**
     * The entries a move changes: the moved one (unless it keeps its values), then any entries shifted to make
     * room; empty when the entry stays where it is.
     *
     * @param moved a queued entry of {@code queue}
     */
    public static List<Entry> apply(Entry moved, MoveOperation operation, QueueOrder queue) throws NoRoom {
        Entry before = queue.before(moved);
        Entry after = queue.after(moved);
        Neighbours around = switch (operation) { // exhaustive: a new operation does not compile without its rule
            case MOVE_TOP -> new Neighbours(null, before == null ? null : queue.first());
            case MOVE_TAIL -> new Neighbours(after == null ? null : queue.last(), null);
            case MOVE_UP -> new Neighbours(before == null ? null : queue.before(before), before);
            case MOVE_DOWN -> new Neighbours(after, after == null ? null : queue.after(after));
        };
        Entry previous = around.previous();
        Entry next = around.next();
        if (previous == null && next == null) {
            return List.of();
        }
        return between(moved, previous, next,
                next == null ? Collections.emptyIterator() : without(moved, queue.following(next)));
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
    static List<Entry> between(Entry moved, Entry previous, Entry next, Iterator<Entry> later) throws NoRoom {
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

    /** Where a moved entry goes: after previous and before next; null at the head or the tail. */
    private record Neighbours(Entry previous, Entry next) {
    }

    /** The entries of an iterator but the moved one (it may follow its new neighbour, as in a move down). */
    private static Iterator<Entry> without(Entry moved, Iterator<Entry> entries) {
        return new Iterator<>() {
            private Entry next = advance();

            private Entry advance() {
                while (entries.hasNext()) {
                    Entry candidate = entries.next();
                    if (candidate.id() != moved.id()) {
                        return candidate;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Entry next() {
                Entry current = next;
                next = advance();
                return current;
            }
        };
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
