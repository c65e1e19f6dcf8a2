package io.queueview.http.auth;

import io.queueview.http.error.ApiError;
import java.util.Set;

/** Who is calling, from their token: the projects ("*" = every project) and actions they may use. */
public record Caller(String name, Set<String> projects, Set<String> actions) {

    public static final String LIST = "octopus:dataJobQueue:list";
    public static final String UPDATE = "octopus:dataJobQueue:update";

    /** @throws ApiError 403 when the token may not use this action on this project */
    public void require(String projectId, String action) {
        if (!projects.contains("*") && !projects.contains(projectId)) {
            throw ApiError.forbidden("the token may not act on project " + projectId);
        }
        if (!actions.contains(action)) {
            throw ApiError.forbidden("the token lacks the action " + action);
        }
    }
}
