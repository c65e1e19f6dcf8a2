package io.queueview.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.queueview.http.error.ApiError;
import io.queueview.http.peer.Forwarding;
import io.queueview.http.peer.PeerUnreachable;
import io.queueview.query.InstanceAddress;
import io.queueview.query.QueuePlacement;
import io.queueview.query.QueueReader;
import io.queueview.query.ReadFrom;
import io.queueview.queue.QueueId;
import java.util.function.Function;

/**
 * Where a call on a queue is answered, decided before its handler runs:
 * <ul>
 * <li>here, when this instance is the queue's active owner, or the call was forwarded here (never forwarded again);
 * <li>a write: at the active owner, forwarded — none known (a rebalance) is a 503 to retry;
 * <li>a read: at the active owner, forwarded, unless it cannot be reached; then here from a standby copy of the
 * queue's partition, or at an instance that holds one — the answer says it is stale and how far behind, and a read
 * refuses a copy further behind than its max_lag (503).
 * </ul>
 * Only a dead owner lets a copy answer: while the group is only rebalancing, a copy may be a standby still being
 * built from nothing, whose lag in records does not tell an empty queue from an up-to-date one; those reads wait
 * (503) for the owner as before. A call whose queue cannot be told (a bad path, queue_type or body) is left to its
 * handler, which refuses it.
 */
final class Routing {

    /** A handler of a read, told which view may answer it. */
    interface Read {
        void answer(Context ctx, ReadFrom from) throws Exception;
    }

    private final QueueReader reader;
    private final Forwarding forwarding;
    private final int defaultMaxLag;

    /** @param defaultMaxLag how far behind, in records, a copy may be for a read that does not say */
    Routing(QueueReader reader, Forwarding forwarding, int defaultMaxLag) {
        this.reader = reader;
        this.forwarding = forwarding;
        this.defaultMaxLag = defaultMaxLag;
    }

    Handler read(Read handler) {
        return ctx -> {
            ReadFrom orCopy = ReadFrom.activeOrCopy(ListParams.maxLag(ctx.queryParamMap(), defaultMaxLag));
            QueueId queue = queueOf(ctx,
                    projectId -> new QueueId(projectId, ListParams.queueType(ctx.queryParamMap())));
            if (queue == null || Forwarding.isForwarded(ctx)) {
                handler.answer(ctx, Forwarding.isStandbyRead(ctx) ? orCopy : ReadFrom.ACTIVE);
                return;
            }
            // answered here by the owner's view, or else by a copy: a standby's while the owner cannot be reached,
            // or the one built meanwhile while its partition moves here (LocalStores.copyOf)
            if (!answeredElsewhere(ctx, queue)) {
                handler.answer(ctx, orCopy);
            }
        };
    }

    Handler write(Handler handler) {
        return ctx -> {
            QueueId queue = queueOf(ctx, projectId -> WriteBodies.queue(projectId, ctx.contentType(), ctx.bodyAsBytes()));
            if (queue == null || Forwarding.isForwarded(ctx)) {
                handler.handle(ctx);
                return;
            }
            QueuePlacement placement = reader.placement(queue);
            if (placement.activeHere()) {
                handler.handle(ctx);
            } else if (placement.active() == null) {
                throw ownerNotKnownYet(queue);
            } else {
                try {
                    forwardTo(placement.active(), ctx, false, false);
                } catch (PeerUnreachable unreachable) {
                    throw ApiError.ownerUnreachable("the instance that owns this queue, " + unreachable.instance()
                            + ", cannot be reached" + (unreachable.mayHaveApplied()
                            ? "; a write sent to it may or may not have applied" : "") + "; retry shortly", unreachable);
                }
            }
        };
    }

    private static ApiError ownerNotKnownYet(QueueId queue) {
        return ApiError.unavailable("the owner of queue " + queue + " is not known yet (rebalancing); retry shortly");
    }

    /** Forwards a read to the instance that answers it; false when this instance answers it. */
    private boolean answeredElsewhere(Context ctx, QueueId queue) {
        QueuePlacement placement = reader.placement(queue);
        if (placement.activeHere()) {
            return false;
        }
        if (placement.active() == null) { // rebalancing: the owner is not dead, only not known
            throw ownerNotKnownYet(queue);
        }
        PeerUnreachable owner = null;
        boolean standbyToFallBackOn = placement.standbyHere() || !placement.standbys().isEmpty();
        if (forwarding.reachable(placement.active())) {
            try {
                forwardTo(placement.active(), ctx, false, standbyToFallBackOn);
                return true;
            } catch (PeerUnreachable unreachable) {
                owner = unreachable;
            }
        }
        if (placement.standbyHere()) {
            return false;
        }
        for (InstanceAddress standby : placement.standbys()) {
            if (forwarding.reachable(standby)) {
                try {
                    forwardTo(standby, ctx, true, false);
                    return true;
                } catch (PeerUnreachable unreachable) {
                    // the next standby, if any
                }
            }
        }
        String ownerSaid = "its owner " + placement.active() + " cannot be reached";
        if (owner != null && placement.standbys().isEmpty()) {
            throw ApiError.ownerUnreachable("queue " + queue + ": " + ownerSaid + " and no other instance holds a "
                    + "standby copy of it; retry shortly", owner);
        }
        throw ApiError.unavailable("queue " + queue + ": " + ownerSaid + " and no standby copy of it can answer; "
                + "retry shortly");
    }

    private void forwardTo(InstanceAddress to, Context ctx, boolean standbyRead, boolean fallback) {
        ctx.attribute(ApiServer.ANSWERED, true); // the answer there stands as it is, a 404 or 405 too
        try {
            forwarding.forward(to, ctx, standbyRead, fallback);
        } catch (PeerUnreachable unreachable) {
            ctx.attributeMap().remove(ApiServer.ANSWERED);
            throw unreachable;
        }
    }

    /** The call's queue, or null when its path, queue_type or body is not valid: its handler refuses it. */
    private static QueueId queueOf(Context ctx, Function<String, QueueId> inProject) {
        try {
            return inProject.apply(PathParams.projectId(ctx));
        } catch (ApiError invalid) {
            return null;
        }
    }
}
