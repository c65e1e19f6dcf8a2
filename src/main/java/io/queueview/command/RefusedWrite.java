package io.queueview.command;

import java.time.Instant;

/**
 * A write call refused before it became a command — not authenticated, not allowed, not valid — as the audit trail
 * records it.
 *
 * @param call        MOVE or SET_PRIORITY
 * @param projectId   the path's project, or null when the path itself was refused
 * @param requestedBy the caller, or "unauthenticated"
 */
public record RefusedWrite(String call, String projectId, String requestedBy, int status, String errorCode,
                           String message, Instant at) {
}
