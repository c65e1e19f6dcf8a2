package io.queueview.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.slf4j.Logger;
import org.slf4j.Marker;

/**
 * How the logs look, set up in code when logging starts (logback finds this class through
 * META-INF/services): one event per line on standard error, info for queueview, warnings only from the broker, its
 * clients, Jetty and Javalin (queueview says itself where it listens). QUEUEVIEW_LOG_FORMAT=json writes each event as one JSON object (logback's JSON encoder) for log
 * shippers; anything else is the text line. Settings refuses a value other than text or json at start-up; by then
 * logging already runs, so it must not depend on Settings.
 */
public final class LogOutput extends ContextAwareBase implements Configurator {

    static final String VARIABLE = "QUEUEVIEW_LOG_FORMAT";
    private static final List<String> ONLY_WARNINGS = List.of("org.apache.kafka", "kafka", "state.change.logger",
            "org.eclipse.jetty", "io.javalin");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String format = System.getenv(VARIABLE);
        boolean json = format != null && format.trim().equalsIgnoreCase("json");
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget("System.err");
        console.setEncoder(json ? json(context) : text(context));
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        ONLY_WARNINGS.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        context.addTurboFilter(new RetriedSequenceErrors());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * The embedded broker logs at ERROR a transactional producer's batch that reaches a partition before the batch
     * with sequence 0 (refused a moment earlier with CONCURRENT_TRANSACTIONS, as the previous transaction's markers
     * are written after a restart): under transactions v2 the producer retries both (KAFKA-18202), and its own WARN
     * says so. Dropped, so that an ERROR in queueview's log is one to act on.
     */
    static final class RetriedSequenceErrors extends TurboFilter {
        @Override
        public FilterReply decide(Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format,
                                  Object[] params, Throwable failure) {
            return level == Level.ERROR && "kafka.server.ReplicaManager".equals(logger.getName())
                    && failure instanceof OutOfOrderSequenceException && failure.getMessage() != null
                    && failure.getMessage().contains("with no existing state") ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }

    /** "12:00:01.234 [INFO] ApiServer - message", then the stack trace of a failure. */
    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} [%level] %logger{0} - %msg%n");
        encoder.start();
        return encoder;
    }

    /** {"timestamp":...,"level":...,"threadName":...,"loggerName":...,"formattedMessage":...,"throwable":...}. */
    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMarkers(false);
        encoder.setWithMDC(false);
        encoder.setWithKVPList(false);
        encoder.setWithMessage(false); // the pattern with its {} holes; the formatted message says it all
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }
}
