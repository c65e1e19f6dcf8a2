package io.queueview.command;

/** What the projector did with a command; kept for a while under the command's id for the caller to read. */
public enum CommandOutcome {
    /** Applied; for a move of the head up or the tail down, applied as "nothing to change". */
    APPLIED,
    /** An id was not queued in that queue when the command's turn came: nothing changed. */
    NOT_FOUND,
    /** The move needs a rank_stamp beyond the range of a Long: nothing changed. */
    NO_ROOM;

    public byte code() {
        return (byte) ordinal();
    }

    public static CommandOutcome ofCode(byte code) {
        return values()[code];
    }
}
