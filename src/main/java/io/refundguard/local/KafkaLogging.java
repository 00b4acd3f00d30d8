package io.refundguard.local;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Turns Kafka's logging down for local runs: an in-process broker and its clients log every
 * config dump, segment roll and group rebalance at INFO, which buries the detector's own output.
 *
 * <p>Only loggers the log4j2 configuration does not mention are touched, so a
 * {@code log4j2.properties} that sets {@code logger.kafka} wins.
 */
public final class KafkaLogging {
    /** Scala broker code logs under {@code kafka.*}, the Java parts under {@code org.apache.kafka.*}. */
    private static final List<String> KAFKA_LOGGERS = List.of(
            "kafka", "org.apache.kafka", "state.change.logger");
    /** Loggers we set, so a later call may change them again without mistaking them for the user's. */
    private static final Set<String> SET_BY_US = ConcurrentHashMap.newKeySet();

    private KafkaLogging() {}

    /** Kafka at WARN: problems still show. */
    public static void quiet() {
        setUnlessConfigured(Level.WARN);
    }

    /**
     * Kafka at ERROR, for command-line tools: they report an unreachable broker themselves, in one
     * line, instead of the client's repeated connection warnings.
     */
    public static void silentClients() {
        setUnlessConfigured(Level.ERROR);
    }

    private static void setUnlessConfigured(Level level) {
        try {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
                return; // log4j2 routes to another backend; that one's config decides
            }
            var configured = context.getConfiguration().getLoggers().keySet();
            for (String name : KAFKA_LOGGERS) {
                if (!configured.contains(name) || SET_BY_US.contains(name)) {
                    Configurator.setLevel(name, level);
                    SET_BY_US.add(name);
                }
            }
        } catch (LinkageError e) {
            // log4j-core is not on this classpath; whatever logs instead keeps its own settings.
        }
    }
}
