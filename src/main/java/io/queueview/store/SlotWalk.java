package io.queueview.store;

/** Slots in queue order, read one by one; valid while the queue does not change (under its read lock). */
interface SlotWalk {

    SlotWalk NONE = new SlotWalk() {
        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public int next() {
            throw new java.util.NoSuchElementException();
        }
    };

    boolean hasNext();

    int next();
}
