package io.queueview.http;

import io.javalin.http.Context;
import io.queueview.http.error.ApiError;
import io.queueview.queue.QueueId;

/**
 * The path's segments, checked before anything else: a malformed escape ({@code %u0041}) or a project id that no
 * event could carry is a 400, never a 500 or a listed "project".
 */
final class PathParams {

    private PathParams() {
    }

    /**
     * Before any route: every %-escape of the raw path is % and two hex digits. Javalin decodes path segments
     * before a handler runs, and a {@code %u0041} there threw out of the router (a 500, and a stack trace in the
     * log, for anyone); Jetty itself refuses {@code %zz}.
     */
    static void checkEscapes(Context ctx) {
        String path = ctx.req().getRequestURI();
        for (int at = path.indexOf('%'); at >= 0; at = path.indexOf('%', at + 1)) {
            if (at + 2 >= path.length() || Character.digit(path.charAt(at + 1), 16) < 0
                    || Character.digit(path.charAt(at + 2), 16) < 0) {
                throw ApiError.badRequest("the path has a malformed %-escape at character " + (at + 1));
            }
        }
    }

    /** The {project_id} segment: the events' rule (1..64 characters), and no '/', control character, "." or "..". */
    static String projectId(Context ctx) {
        String projectId = decoded(ctx, "project_id");
        if (projectId.isEmpty() || projectId.length() > QueueId.MAX_PROJECT_ID_LENGTH) {
            throw ApiError.badRequest("project_id must have 1.." + QueueId.MAX_PROJECT_ID_LENGTH + " characters");
        }
        if (projectId.equals(".") || projectId.equals("..") || projectId.indexOf('/') >= 0
                || projectId.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("project_id must not be '.' or '..' nor hold '/' or control characters");
        }
        return projectId;
    }

    /** The {id} segment, a Long. */
    static long entryId(Context ctx) {
        String segment = decoded(ctx, "id");
        try {
            return Long.parseLong(segment);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("id '" + segment + "' is not an integer (Long)");
        }
    }

    /** Whether the {id} segment is this word (as a route for ids meets fixed segments such as batch-update). */
    static boolean entryIdIs(Context ctx, String word) {
        return word.equals(decoded(ctx, "id"));
    }

    private static String decoded(Context ctx, String name) {
        return ctx.pathParam(name); // its escapes were checked before the route ran
    }
}
