package io.queueview.bench;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The projector's "task X: N entries in memory in M ms" lines while it is attached: where a restart's rebuild of the
 * view goes, task by task (each stream thread rebuilds its tasks one after the other).
 */
final class RebuildLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    /** One task's rebuild: its entries put back into memory, and how long that took on its stream thread. */
    record TaskRebuild(String task, String thread, long entries, long millis) {
    }

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.queueview.topology.QueueProjector");
    private final List<TaskRebuild> rebuilds = new ArrayList<>();

    static RebuildLog attach() {
        RebuildLog log = new RebuildLog();
        log.start();
        log.logger.addAppender(log);
        return log;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (event.getMessage().contains("entries in memory") && arguments != null && arguments.length == 3) {
            rebuilds.add(new TaskRebuild(String.valueOf(arguments[0]), event.getThreadName(),
                    ((Number) arguments[1]).longValue(), ((Number) arguments[2]).longValue()));
        }
    }

    synchronized List<TaskRebuild> rebuilds() {
        return List.copyOf(rebuilds);
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
    }
}
