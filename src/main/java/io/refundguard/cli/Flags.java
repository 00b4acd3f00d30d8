package io.refundguard.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small strict flag parser: {@code --name value}, repeatable {@code --set k=v}, and positional
 * arguments. Unknown flags are errors, because a mistyped threshold silently ignored is worse
 * than a refusal.
 */
public final class Flags {
    private final Map<String, String> values = new HashMap<>();
    private final List<String> settings = new ArrayList<>();
    private final List<String> positional = new ArrayList<>();

    private Flags() {}

    public static Flags parse(List<String> args, Set<String> valueFlags, Set<String> booleanFlags) {
        Flags flags = new Flags();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--set")) {
                flags.settings.add(valueOf(args, ++i, arg));
            } else if (booleanFlags.contains(arg)) {
                flags.values.put(arg, "true");
            } else if (valueFlags.contains(arg)) {
                flags.values.put(arg, valueOf(args, ++i, arg));
            } else if (arg.startsWith("--")) {
                throw new UsageException("unknown option " + arg);
            } else {
                flags.positional.add(arg);
            }
        }
        return flags;
    }

    private static String valueOf(List<String> args, int index, String flag) {
        if (index >= args.size() || args.get(index).startsWith("--")) {
            throw new UsageException(flag + " needs a value");
        }
        return args.get(index);
    }

    public String get(String flag) {
        return values.get(flag);
    }

    public String required(String flag) {
        String value = values.get(flag);
        if (value == null) {
            throw new UsageException("missing " + flag);
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
