package io.refundguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one flag parser of every command: {@code --name value} or {@code --name=value}, switches
 * without a value, repeatable {@code --set key=value}, and positional arguments ({@code -} is one:
 * standard input; {@code --} ends the flags). Unknown and repeated flags are errors, because a
 * mistyped threshold silently ignored is worse than a refusal.
 */
public final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> settings = new ArrayList<>();
    private final List<String> positional = new ArrayList<>();

    private Flags() {}

    public static Flags parse(List<String> args, Set<String> valueFlags, Set<String> booleanFlags) {
        Flags flags = new Flags();
        boolean flagsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (flagsEnded || !arg.startsWith("-") || arg.equals("-")) {
                flags.positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                flagsEnded = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (booleanFlags.contains(name)) {
                if (eq >= 0) {
                    throw new UsageException(name + " takes no value");
                }
                flags.values.put(name, "true");
                continue;
            }
            if (!name.equals("--set") && !valueFlags.contains(name)) {
                throw new UsageException("unknown option " + name);
            }
            String value = eq >= 0 ? arg.substring(eq + 1) : valueOf(args, ++i, name);
            if (name.equals("--set")) {
                flags.settings.add(value);
            } else if (flags.values.put(name, value) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        return flags;
    }

    private static String valueOf(List<String> args, int index, String flag) {
        if (index >= args.size() || (args.get(index).startsWith("--") && args.get(index).length() > 2)) {
            throw new UsageException(flag + " needs a value");
        }
        return args.get(index);
    }

    /** The value of a flag, or {@code fallback} when it was not given; an empty value is an error. */
    public String optional(String flag, String fallback) {
        String value = values.get(flag);
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be empty");
        }
        return value;
    }

    public String get(String flag) {
        return values.get(flag);
    }

    public String required(String flag) {
        String value = values.get(flag);
        if (value == null) {
            throw new UsageException("missing " + flag);
        }
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be empty");
        }
        return value;
    }

    public boolean has(String flag) {
        return values.containsKey(flag);
    }

    public int intValue(String flag, int defaultValue) {
        String value = values.get(flag);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " expects a whole number, got \"" + value + "\"");
        }
    }

    public Path existingFile(String flag) {
        Path path = Path.of(required(flag));
        if (!Files.isRegularFile(path)) {
            throw new UsageException(flag + ": no such file: " + path);
        }
        return path;
    }

    public Path configFile() {
        String value = values.get("--config");
        if (value == null) {
            return null;
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw new UsageException("--config: no such file: " + path);
        }
        return path;
    }

    public List<String> settings() {
        return settings;
    }

    public List<String> positional() {
        return positional;
    }
}
