package io.queueview.http;

import io.queueview.http.error.ApiError;
import io.queueview.query.Filters;
import io.queueview.queue.Entry;
import io.queueview.queue.OrderKey;
import io.queueview.queue.QueueId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The list call's page_token: where the next page starts — strictly after the place in queue order of the last
 * entry of the page it came with — bound to the queue and filters of that call. Opaque to clients: base64url
 * (no padding) of 26 bytes: a version, the place (priority, rank_stamp, id) and the first 8 bytes of a SHA-256 of
 * the project, queue type and filters. Not signed: a client that forges one only pages its own queue from
 * elsewhere, which an offset also does.
 */
record PageToken(OrderKey after, long binding) {

    private static final int VERSION = 1;
    private static final int LENGTH = 1 + 1 + 8 + 8 + 8;
    /** Base64 of LENGTH bytes without padding. */
    private static final int TEXT_LENGTH = (LENGTH * 4 + 2) / 3;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    /** The token of the page that continues after this entry, in a list of this queue with these filters. */
    static PageToken after(Entry last, QueueId queue, Filters filters) {
        return new PageToken(OrderKey.of(last), binding(queue, filters));
    }

    String text() {
        ByteBuffer bytes = ByteBuffer.allocate(LENGTH).put((byte) VERSION).put((byte) after.priority())
                .putLong(after.rankStamp()).putLong(after.id()).putLong(binding);
        return ENCODER.encodeToString(bytes.array());
    }

    /**
     * The place a token continues after, when it was issued for this queue and these filters.
     *
     * @throws ApiError 400 when the text is not a token this API issued, or one of another queue or filters
     */
    static OrderKey read(String text, QueueId queue, Filters filters) {
        PageToken token = parse(text);
        if (token.binding() != binding(queue, filters)) {
            throw ApiError.badRequest("page_token was issued for another queue or other filters: use it with the "
                    + "project, queue_type and filters of the call whose answer gave it, or start again without it");
        }
        return token.after();
    }

    private static PageToken parse(String text) {
        byte[] bytes = null;
        if (text.length() == TEXT_LENGTH) {
            try {
                bytes = Base64.getUrlDecoder().decode(text);
            } catch (IllegalArgumentException notBase64) {
                // reported below
            }
        }
        // canonical only: another text that decodes to the same bytes is not one this API gave out
        if (bytes == null || bytes.length != LENGTH || !ENCODER.encodeToString(bytes).equals(text)) {
            throw malformed();
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int version = buffer.get();
        int priority = buffer.get();
        if (version != VERSION || priority < Entry.MIN_PRIORITY || priority > Entry.MAX_PRIORITY) {
            throw malformed();
        }
        return new PageToken(new OrderKey(priority, buffer.getLong(), buffer.getLong()), buffer.getLong());
    }

    private static ApiError malformed() {
        return ApiError.badRequest("page_token is not a page token this API gave out: pass the page_info."
                + "next_page_token of an answer unchanged, or start again without it");
    }

    /** The queue and its normalized filters (absent and empty alike), each part length-prefixed, hashed. */
    static long binding(QueueId queue, Filters filters) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        for (Object part : new Object[] {queue.projectId(), queue.type().name(), filters.jobId(),
            filters.outputType(), filters.jobType(), filters.dataId(), filters.processorName(), filters.clusterType(),
            filters.clusterId()}) {
            byte[] text = part == null ? new byte[0] : part.toString().getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(5).put((byte) (part == null ? 0 : 1)).putInt(text.length).array());
            sha256.update(text);
        }
        return ByteBuffer.wrap(sha256.digest()).getLong();
    }
}
