package io.queueview.app;

import io.queueview.command.CommandOutcome;
import io.queueview.command.QueueCommand;
import io.queueview.command.RefusedWrite;
import io.queueview.query.QueueUnavailable;
import io.queueview.write.QueueWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes as the HTTP server sees them from its start: "starting" until the Kafka writer, which needs Kafka
 * Streams and so the server's port, is attached.
 */
final class StartingWriter implements QueueWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StartingWriter.class);

    private final AtomicReference<QueueWriter> attached;

    StartingWriter(AtomicReference<QueueWriter> attached) {
        this.attached = attached;
    }

    @Override
    public CommandOutcome submit(QueueCommand command) {
        QueueWriter writer = attached.get();
        if (writer == null) {
            throw new QueueUnavailable("the view is starting; retry shortly");
        }
        return writer.submit(command);
    }

    @Override
    public void refused(RefusedWrite refused) {
        QueueWriter writer = attached.get();
        if (writer == null) { // the first seconds of a start: said in the log rather than lost without a word
            LOG.warn("a {} call refused with {} during start-up is not on the audit trail", refused.call(),
                    refused.status());
            return;
        }
        writer.refused(refused);
    }
}
