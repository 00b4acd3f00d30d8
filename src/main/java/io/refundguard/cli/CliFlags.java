package io.refundguard.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of one command: {@code --name value}, {@code --name=value}, switches without a value,
 * and positional arguments. A lone {@code -} is positional (standard input); {@code --} ends the
 * flags.
 */
final class CliFlags {
    /** A mistake in the command line; the message is shown to the user above the usage text. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, String> values;
    private final Set<String> switchesGiven;
    private final List<String> positional;

    private CliFlags(Map<String, String> values, Set<String> switchesGiven, List<String> positional) {
        this.values = values;
        this.switchesGiven = switchesGiven;
        this.positional = positional;
    }

    static CliFlags parse(List<String> args, Set<String> valueFlags, Set<String> switches) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> given = new java.util.HashSet<>();
        List<String> positional = new ArrayList<>();
        boolean flagsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (flagsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                flagsEnded = true;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (switches.contains(name)) {
                if (eq >= 0) {
                    throw new UsageException(name + " takes no value");
                }
                given.add(name);
            } else if (valueFlags.contains(name)) {
                String value;
                if (eq >= 0) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (values.containsKey(name)) {
                    throw new UsageException(name + " given twice");
                }
                values.put(name, value);
            } else {
                throw new UsageException("unknown option " + name);
            }
        }
        return new CliFlags(values, given, positional);
    }

    boolean has(String flagOrSwitch) {
        return switchesGiven.contains(flagOrSwitch) || values.containsKey(flagOrSwitch);
    }

    String required(String flag) throws UsageException {
        String value = values.get(flag);
        if (value == null) {
            throw new UsageException("missing " + flag);
        }
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be empty");
        }
        return value;
    }

    String optional(String flag, String fallback) throws UsageException {
        String value = values.get(flag);
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            throw new UsageException(flag + " must not be empty");
        }
        return value;
    }

    List<String> positional() {
        return positional;
    }
}
