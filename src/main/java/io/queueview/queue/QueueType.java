package io.queueview.queue;

/** The three queues a project has. The code is the byte that stands for the type in store keys. */
public enum QueueType {
    PROCESSOR(1), INTERNAL(2), RESIM(3);

    private final byte code;

    QueueType(int code) {
        this.code = (byte) code;
    }

    public byte code() {
        return code;
    }

    public static QueueType ofCode(byte code) {
        for (QueueType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("no queue type has code " + code);
    }

    /** The type with this exact name, or null. */
    public static QueueType named(String name) {
        for (QueueType type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        return null;
    }
}
