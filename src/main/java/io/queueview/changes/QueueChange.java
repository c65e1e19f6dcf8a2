package io.queueview.changes;

/**
 * One applied change of a queue, as the queue-changes topic has it: where it stands in the topic (partition and
 * offset) and its JSON ({"change":"UPSERT",...} or {"change":"REMOVE",...}; topology/README.md). A move shows as the
 * upserts of the entries it changed.
 *
 * @param queueKey the record's key, "project_id/QUEUE_TYPE"
 */
public record QueueChange(int partition, long offset, String queueKey, byte[] json) {

    /** The change stream's event id: where to resume after this change ("partition:next offset"). */
    public String resumeId() {
        return ResumePoint.of(partition, offset + 1);
    }
}
