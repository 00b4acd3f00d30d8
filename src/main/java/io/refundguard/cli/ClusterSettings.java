package io.refundguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.refundguard.job.config.ConfigException;
import io.refundguard.settings.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code config/cluster.yaml}: the shape of the one-machine standalone cluster that {@code cluster}
 * starts, and the job defaults {@code submit} passes. A missing or malformed setting is a
 * {@link ConfigException} naming it.
 */
record ClusterSettings(
        Path dir,
        int restPort,
        int taskManagers,
        String jobManagerMemory,
        String taskManagerMemory,
        int slots,
        int kafkaPort,
        String kafkaHeap,
        int topicPartitions,
        List<String> platforms,
        int jobParallelism,
        Duration checkpointInterval,
        String restartType,
        int restartAttempts,
        Duration restartDelay,
        Map<String, String> flinkConfiguration,
        Map<String, String> brokerProperties) {

    static final Path DEFAULT_FILE = Path.of("config/cluster.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern MEMORY = Pattern.compile("\\d{1,9}\\s*(b|k|kb|m|mb|g|gb)?", Pattern.CASE_INSENSITIVE);

    static ClusterSettings load(Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(file + ": expected a mapping of settings");
        }
        Map<String, String> flink = keyValues(root, "flinkConfiguration");
        Map<String, String> broker = keyValues(root, "brokerProperties");
        List<String> platforms = new ArrayList<>();
        JsonNode list = root.path("kafka").path("platforms");
        if (!list.isMissingNode()) {
            if (!list.isArray()) {
                throw new ConfigException("kafka.platforms: expected a list of platform codes");
            }
            list.forEach(p -> platforms.add(p.asText()));
        }
        String restartType = text(root, "restartStrategy.type");
        if (!List.of("fixed-delay", "exponential-delay", "none").contains(restartType)) {
            throw new ConfigException("restartStrategy.type: expected fixed-delay, exponential-delay or none, got \""
                    + restartType + "\"");
        }
        return new ClusterSettings(
                Path.of(text(root, "dir")),
                port(root, "restPort"),
                positive(root, "taskManagers", 16),
                memory(root, "jobManager.processMemory"),
                memory(root, "taskManager.processMemory"),
                positive(root, "taskManager.slots", 64),
                port(root, "kafka.port"),
                memory(root, "kafka.heap"),
                positive(root, "kafka.topicPartitions", 1000),
                List.copyOf(platforms),
                positive(root, "job.parallelism", 1000),
                duration(root, "job.checkpointInterval"),
                restartType,
                positive(root, "restartStrategy.attempts", Integer.MAX_VALUE),
                duration(root, "restartStrategy.delay"),
                Map.copyOf(flink),
                Map.copyOf(broker));
    }

    private static Map<String, String> keyValues(JsonNode root, String name) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode node = root.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return values;
        }
        if (!node.isObject()) {
            throw new ConfigException(name + ": expected a mapping of keys to values");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode()) {
                throw new ConfigException(name + "." + e.getKey() + ": expected a single value");
            }
            values.put(e.getKey(), e.getValue().asText());
        }
        return values;
    }

    ClusterSettings withOverrides(Path newDir, Integer newRestPort, Integer newTaskManagers, Integer newKafkaPort) {
        return new ClusterSettings(
                newDir != null ? newDir : dir,
                newRestPort != null ? newRestPort : restPort,
                newTaskManagers != null ? newTaskManagers : taskManagers,
                jobManagerMemory, taskManagerMemory, slots,
                newKafkaPort != null ? newKafkaPort : kafkaPort,
                kafkaHeap, topicPartitions, platforms, jobParallelism, checkpointInterval,
                restartType, restartAttempts, restartDelay, flinkConfiguration, brokerProperties);
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        if (node.isMissingNode() || node.isNull()) {
            throw new ConfigException(path + ": missing setting");
        }
        return node;
    }

    private static String text(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (!node.isValueNode() || node.asText().isBlank()) {
            throw new ConfigException(path + ": expected a non-empty value");
        }
        return node.asText().trim();
    }

    private static int positive(JsonNode root, String path, int max) {
        JsonNode node = at(root, path);
        if (!node.isInt() || node.asInt() < 1 || node.asInt() > max) {
            throw new ConfigException(path + ": expected a whole number from 1 to " + max + ", got " + node.asText());
        }
        return node.asInt();
    }

    private static int port(JsonNode root, String path) {
        JsonNode node = at(root, path);
        if (!node.isInt() || node.asInt() < 1 || node.asInt() > 65535) {
            throw new ConfigException(path + ": expected a port from 1 to 65535, got " + node.asText());
        }
        return node.asInt();
    }

    private static String memory(JsonNode root, String path) {
        String value = text(root, path);
        if (!MEMORY.matcher(value).matches()) {
            throw new ConfigException(path + ": expected a memory size like 1024m or 2g, got \"" + value + "\"");
        }
        return value.replace(" ", "").toLowerCase();
    }

    private static Duration duration(JsonNode root, String path) {
        String value = text(root, path);
        try {
            return Durations.parse(value);
        } catch (RuntimeException e) {
            throw new ConfigException(path + ": expected a duration like 500ms, 10s or 2m, got \"" + value + "\"");
        }
    }
}
