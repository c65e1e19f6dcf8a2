package io.queueview.queue;

import java.util.Objects;

/** One queue: a project's queue of one type. The unit of placement — a queue lives in one partition. */
public record QueueId(String projectId, QueueType type) {

    public static final int MAX_PROJECT_ID_LENGTH = 64;

    public QueueId {
        Objects.requireNonNull(projectId, "projectId");
        Objects.requireNonNull(type, "type");
        if (projectId.isEmpty() || projectId.length() > MAX_PROJECT_ID_LENGTH) {
            throw new IllegalArgumentException("project_id must have 1.." + MAX_PROJECT_ID_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return projectId + "/" + type;
    }
}
