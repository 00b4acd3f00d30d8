package io.refundguard.cli;

import io.refundguard.job.config.ConfigLoader;
import io.refundguard.job.config.RefundGuardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --set key=value}: the settings of config/refundguard.yaml, as every command reads them. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: config/refundguard.yaml).")
    private Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set rules.repeatRefunder.minRequests=3 (repeatable).")
    private List<String> settings = new ArrayList<>();

    /** The --config file, or null for the default; a missing file is the user's mistake. */
    public Path file() {
        if (file != null && !Files.isRegularFile(file)) {
            throw new UsageException("--config: no such file: " + file);
        }
        return file;
    }

    public List<String> settings() {
        for (String setting : settings) {
            if (setting.indexOf('=') < 1) {
                throw new UsageException("--set expects key=value, got \"" + setting + "\"");
            }
        }
        return List.copyOf(settings);
    }

    public RefundGuardConfig load() {
        return ConfigLoader.load(file(), settings());
    }

    /** The settings with {@code extra} applied after the user's --set. */
    public RefundGuardConfig load(List<String> extra) {
        List<String> all = new ArrayList<>(settings());
        all.addAll(extra);
        return ConfigLoader.load(file(), all);
    }
}
