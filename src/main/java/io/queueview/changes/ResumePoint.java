package io.queueview.changes;

/**
 * Where a change stream stands in the queue's partition of the changes topic: "partition:offset", the offset of the
 * next change it has not sent. Sent as each event's id, so that a client reconnecting with Last-Event-ID resumes
 * there.
 */
record ResumePoint(int partition, long nextOffset) {

    static String of(int partition, long nextOffset) {
        return partition + ":" + nextOffset;
    }

    /** The point a Last-Event-ID names, or null when it is not one of ours. */
    static ResumePoint parse(String id) {
        if (id == null) {
            return null;
        }
        int colon = id.indexOf(':');
        try {
            ResumePoint point = new ResumePoint(Integer.parseInt(id.substring(0, colon)),
                    Long.parseLong(id.substring(colon + 1)));
            return point.partition >= 0 && point.nextOffset >= 0 ? point : null;
        } catch (NumberFormatException | IndexOutOfBoundsException notOurs) {
            return null;
        }
    }
}
