package io.queueview.http.sse;

/** How many change streams one instance holds at once, and how many of them one token may hold. */
public record StreamLimits(int perInstance, int perToken) {
}
