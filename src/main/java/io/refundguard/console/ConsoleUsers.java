package io.refundguard.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The console's users from {@code config/console.yaml}. A password is read from the environment
 * variable the user names, at start; a user whose variable is unset or empty has no password and
 * cannot log in, so a forgotten variable locks a user out instead of opening the console.
 */
public final class ConsoleUsers {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private record Account(Viewer viewer, String passwordEnv, byte[] password) {}

    private final Map<String, Account> accounts;

    private ConsoleUsers(Map<String, Account> accounts) {
        this.accounts = accounts;
    }

    /** @throws IllegalArgumentException naming the user and setting that is wrong */
    public static ConsoleUsers load(Path file, Function<String, String> environment) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.path("users").isArray() || root.path("users").isEmpty()) {
            throw new IllegalArgumentException(file + ": expected a list \"users\"");
        }
        Map<String, Account> accounts = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode user : root.path("users")) {
            String where = file.getFileName() + ": users[" + index++ + "]";
            String name = text(user, "name", where);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ".name: expected letters, digits, _ . -, got \"" + name + "\"");
            }
            String roleText = text(user, "role", where);
            Viewer.Role role = switch (roleText.toLowerCase(Locale.ROOT)) {
                case "operator" -> Viewer.Role.OPERATOR;
                case "analyst" -> Viewer.Role.ANALYST;
                default -> throw new IllegalArgumentException(where + ".role: expected operator or analyst, got \"" + roleText + "\"");
            };
            String platform = role == Viewer.Role.ANALYST ? text(user, "platform", where) : null;
            String env = text(user, "passwordEnv", where);
            if (!ENV.matcher(env).matches()) {
                throw new IllegalArgumentException(where + ".passwordEnv: expected an environment variable name, got \"" + env + "\"");
            }
            if (user.has("password")) {
                throw new IllegalArgumentException(where + ": passwords are not stored in the file; name a variable in passwordEnv");
            }
            String password = environment.apply(env);
            byte[] secret = password == null || password.isEmpty() ? null : password.getBytes(StandardCharsets.UTF_8);
            if (accounts.put(name, new Account(new Viewer(name, role, platform), env, secret)) != null) {
                throw new IllegalArgumentException(where + ".name: \"" + name + "\" appears twice");
            }
        }
        return new ConsoleUsers(accounts);
    }

    private static String text(JsonNode user, String field, String where) {
        JsonNode value = user.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + "." + field + ": required");
        }
        return value.asText().trim();
    }

    /** The user, if the name exists, has a password set, and the password matches. */
    public Optional<Viewer> authenticate(String name, String password) {
        Account account = name == null ? null : accounts.get(name);
        if (account == null || account.password() == null || password == null) {
            return Optional.empty();
        }
        // Constant-time comparison: the time taken says nothing about how much of a guess was right.
        boolean same = MessageDigest.isEqual(account.password(), password.getBytes(StandardCharsets.UTF_8));
        return same ? Optional.of(account.viewer()) : Optional.empty();
    }

    /** Users who cannot log in because their variable is unset, for the start-up message. */
    public Map<String, String> locked() {
        Map<String, String> locked = new LinkedHashMap<>();
        accounts.forEach((name, a) -> {
            if (a.password() == null) {
                locked.put(name, a.passwordEnv());
            }
        });
        return locked;
    }

    public int size() {
        return accounts.size();
    }
}
