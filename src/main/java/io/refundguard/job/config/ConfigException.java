package io.refundguard.job.config;

/** A setting is missing or wrong. The message names the setting and what was expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
