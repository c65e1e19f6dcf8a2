package io.queueview.command;

import java.nio.ByteBuffer;

/** The outcome of a command and when it was applied (epoch ms, wall clock), under the command's id. */
public record AppliedCommand(CommandOutcome outcome, long appliedAt) {

    public byte[] toBytes() {
        return ByteBuffer.allocate(9).put(outcome.code()).putLong(appliedAt).array();
    }

    public static AppliedCommand fromBytes(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new AppliedCommand(CommandOutcome.ofCode(buffer.get()), buffer.getLong());
    }
}
