package dev.cutover.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything logged while it is open, rendered in full (message, arguments, exception and stack trace), from every
 * logger, with the given loggers turned up to a chattier level. Restores the levels on close. Thread-safe.
 */
public final class CapturedLogs implements AutoCloseable {
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Map<Logger, Level> previousLevels = new HashMap<>();
    private final List<String> lines = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                    + event.getFormattedMessage());
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append('\n').append(ThrowableProxyUtil.asString(thrown));
            }
            synchronized (lines) {
                lines.add(line.toString());
            }
        }
    };

    /** Captures at the configured levels. */
    public static CapturedLogs start() {
        return new CapturedLogs(Map.of());
    }

    /** Captures everything at DEBUG, Jetty, Slack's SDK, OkHttp and Flyway included. */
    public static CapturedLogs startAtDebug() {
        return new CapturedLogs(Map.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG, "org.eclipse.jetty", Level.DEBUG,
                "com.slack.api", Level.DEBUG, "okhttp3", Level.DEBUG, "org.flywaydb", Level.DEBUG));
    }

    private CapturedLogs(Map<String, Level> levels) {
        levels.forEach((name, level) -> {
            Logger logger = context.getLogger(name);
            previousLevels.put(logger, logger.getLevel());
            logger.setLevel(level);
        });
        appender.setContext(context);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public void close() {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        appender.stop();
        previousLevels.forEach(Logger::setLevel);
    }
}
