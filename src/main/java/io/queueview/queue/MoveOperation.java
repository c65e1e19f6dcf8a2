package io.queueview.queue;

/** Where a move takes one entry (API.md section 2). */
public enum MoveOperation {
    /** To the head of the queue. */
    MOVE_TOP,
    /** To the end of the queue. */
    MOVE_TAIL,
    /** One place towards the head. */
    MOVE_UP,
    /** One place towards the end. */
    MOVE_DOWN
}
