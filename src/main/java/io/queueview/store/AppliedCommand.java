package io.queueview.store;

import io.queueview.command.CommandOutcome;

/** The outcome of a command and when it was applied (epoch ms, wall clock), under the command's id. */
public record AppliedCommand(CommandOutcome outcome, long appliedAt) {

    public byte[] toBytes() {
        return new ByteWriter(9).putByte(outcome.code()).putLong(appliedAt).toBytes();
    }

    public static AppliedCommand fromBytes(byte[] bytes) {
        ByteReader reader = new ByteReader(bytes, 0);
        return new AppliedCommand(CommandOutcome.ofCode((byte) reader.getByte()), reader.getLong());
    }
}
