package io.refundguard.job.config;

import io.refundguard.settings.DurationJson;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.refundguard.eventtime.StateTtl;
import io.refundguard.patterns.RuleSet;
import io.refundguard.settings.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads {@code config/refundguard.yaml} (or another file), applies {@code key.path=value}
 * overrides, and binds the result to {@link RefundGuardConfig}. Unknown keys, missing keys and
 * bad values fail here, at start, with the setting's full name.
 */
public final class ConfigLoader {
    /** The defaults file, also packaged into the job jar under this classpath name. */
    public static final String DEFAULT_RESOURCE = "config/refundguard.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule()
                    .addDeserializer(Duration.class, new DurationJson.Reader())
                    .addDeserializer(StateTtl.class, new StateTtlDeserializer()));

    private ConfigLoader() {}

    /** The packaged defaults with overrides applied. */
    public static RefundGuardConfig load(List<String> overrides) {
        return load(null, overrides);
    }

    /**
     * @param file a YAML file, or null for {@link #DEFAULT_RESOURCE} (the project's {@code config/}
     *     directory when run from a checkout, else the copy inside the jar)
     */
    public static RefundGuardConfig load(Path file, List<String> overrides) {
        ObjectNode tree = readTree(file);
        for (String override : overrides) {
            applyOverride(tree, override);
        }
        return bind(tree);
    }

    private static ObjectNode readTree(Path file) {
        Path path = file != null ? file : Path.of(DEFAULT_RESOURCE);
        try {
            JsonNode tree;
            if (Files.isRegularFile(path)) {
                tree = YAML.readTree(path.toFile());
            } else if (file != null) {
                throw new ConfigException("config file " + file + " does not exist");
            } else {
                try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
                    if (in == null) {
                        throw new ConfigException("no " + DEFAULT_RESOURCE + " in the working directory or on the classpath");
                    }
                    tree = YAML.readTree(in);
                }
            }
            if (!(tree instanceof ObjectNode object)) {
                throw new ConfigException(path + ": expected a YAML mapping at the top level");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw new ConfigException(path + ": not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(path + ": cannot read: " + e.getMessage());
        }
    }

    static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("override \"" + override + "\": expected key.path=value");
        }
        String keyPath = override.substring(0, eq).trim();
        String text = override.substring(eq + 1).trim();
        String[] keys = splitKey(keyPath);
        ObjectNode parent = tree;
        for (int i = 0; i < keys.length - 1; i++) {
            JsonNode child = parent.get(keys[i]);
            if (!(child instanceof ObjectNode object)) {
                throw new ConfigException("override \"" + override + "\": unknown setting "
                        + String.join(".", List.of(keys).subList(0, i + 1)));
            }
            parent = object;
        }
        String leaf = keys[keys.length - 1];
        if (!parent.has(leaf) && !isOpenMap(keys)) {
            throw new ConfigException("override \"" + override + "\": unknown setting " + String.join(".", keys));
        }
        try {
            // Parsed as YAML so numbers, booleans and lists keep their type.
            JsonNode value = text.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(text);
            parent.set(leaf, value == null ? YAML.getNodeFactory().textNode(text) : value);
        } catch (JsonProcessingException e) {
            parent.put(leaf, text);
        }
    }

    /** Sections whose keys are free-form (Kafka client and Flink properties, exchange rates). */
    private static final List<String> OPEN_MAPS =
            List.of("kafka.clientProperties", "flink.configuration", "rules.amountTier.exchangeRates");

    private static boolean isOpenMap(String[] keys) {
        return OPEN_MAPS.contains(String.join(".", List.of(keys).subList(0, keys.length - 1)));
    }

    /**
     * The path of an override as keys. Inside a free-form section the rest is one key, dots and
     * all: Kafka and Flink property names contain dots ({@code security.protocol}).
     */
    private static String[] splitKey(String keyPath) {
        for (String open : OPEN_MAPS) {
            if (keyPath.startsWith(open + ".") && keyPath.length() > open.length() + 1) {
                List<String> keys = new java.util.ArrayList<>(List.of(open.split("\\.")));
                keys.add(keyPath.substring(open.length() + 1));
                return keys.toArray(String[]::new);
            }
        }
        return keyPath.split("\\.");
    }

    /**
     * A rule set from its tree (the {@code rules} section's shape), with the same checks and the same
     * messages as at start, each naming its setting under {@code rules.}.
     */
    public static RuleSet bindRules(JsonNode tree) {
        withEmptyAllowList(tree);
        try {
            return YAML.treeToValue(tree, RuleSet.class);
        } catch (JsonMappingException e) {
            // Described as if it sat under `rules` in the config tree, so names read as at start.
            e.prependPath(new JsonMappingException.Reference(null, "rules"));
            throw new ConfigException(describe(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException("rules: " + e.getOriginalMessage());
        }
    }

    private static RefundGuardConfig bind(ObjectNode tree) {
        if (tree.get("rules") != null) {
            withEmptyAllowList(tree.get("rules"));
        }
        try {
            return YAML.treeToValue(tree, RefundGuardConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(describe(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage());
        }
    }

    /**
     * The photo allow-list came after the first rule sets were published; a rules section without
     * one (an older config file, a stored control record) means an empty list, not an error.
     */
    private static void withEmptyAllowList(JsonNode rules) {
        if (rules instanceof ObjectNode object && !object.has("photoAllowList")) {
            ObjectNode list = object.putObject("photoAllowList");
            list.put("radius", 31);
            list.putArray("photos");
        }
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown setting " + path + " (known here: " + unknown.getKnownPropertyIds() + ")";
        }
        if (e instanceof InvalidFormatException format) {
            return path + ": expected " + expectedType(format.getTargetType()) + ", got \"" + format.getValue() + "\"";
        }
        Throwable cause = e instanceof ValueInstantiationException ? e.getCause() : null;
        if (cause instanceof IllegalArgumentException) {
            return (path.isEmpty() ? "" : path + ".") + cause.getMessage();
        }
        String message = e.getOriginalMessage();
        // Jackson words these "Missing creator property 'x'", "Missing required creator property
        // 'x'" (older versions) and "Null value for creator property 'x'"; its path may or may not
        // end with the property already.
        if (message != null && (message.startsWith("Missing") || message.startsWith("Null value"))
                && message.contains("creator property '")) {
            int start = message.indexOf('\'');
            int end = message.indexOf('\'', start + 1);
            String field = start >= 0 && end > start ? message.substring(start + 1, end) : "?";
            String setting = path.equals(field) || path.endsWith("." + field) ? path
                    : (path.isEmpty() ? "" : path + ".") + field;
            return setting + ": missing setting";
        }
        String firstLine = message == null ? e.toString() : message.lines().findFirst().orElse(message);
        return (path.isEmpty() ? "configuration" : path) + ": " + firstLine;
    }

    private static String expectedType(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        if (type == java.math.BigDecimal.class) {
            return "a decimal amount like \"3000\"";
        }
        return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@code replay.stateTtl}: the constant's name, exactly. Jackson would otherwise take an ordinal
     * ({@code 0}, {@code 1}) for an enum, and a mistyped {@code false} would fail without saying
     * what is expected.
     */
    private static final class StateTtlDeserializer extends JsonDeserializer<StateTtl> {
        @Override
        public StateTtl deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.currentToken() == JsonToken.VALUE_STRING ? parser.getText() : null;
            for (StateTtl choice : StateTtl.values()) {
                if (choice.name().equals(text)) {
                    return choice;
                }
            }
            throw InvalidFormatException.from(parser, "not a state TTL choice", parser.getText(), StateTtl.class);
        }
    }
}
