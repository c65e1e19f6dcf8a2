package io.queueview.query;

/** A query's answer and how fresh the view that gave it is: the active view, or a copy (stale). */
public record Answered<T>(T value, ViewFreshness view) {
}
