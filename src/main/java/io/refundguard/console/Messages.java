package io.refundguard.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The interface's labels in English or Chinese, from {@code console/messages_<lang>.properties} (UTF-8). */
public final class Messages {
    public static final String ENGLISH = "en";
    public static final String CHINESE = "zh";
    private static final Map<String, Messages> LOADED = Map.of(ENGLISH, load(ENGLISH), CHINESE, load(CHINESE));

    private final String lang;
    private final Map<String, String> texts;

    private Messages(String lang, Map<String, String> texts) {
        this.lang = lang;
        this.texts = texts;
    }

    /** English unless the language is Chinese. */
    public static Messages of(String lang) {
        return CHINESE.equals(lang) ? LOADED.get(CHINESE) : LOADED.get(ENGLISH);
    }

    private static Messages load(String lang) {
        Properties props = new Properties();
        String resource = "/console/messages_" + lang + ".properties";
        try (InputStream in = Messages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the classpath");
            }
            props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> texts = new HashMap<>();
        props.forEach((k, v) -> texts.put((String) k, (String) v));
        return new Messages(lang, Collections.unmodifiableMap(texts));
    }

    public String lang() {
        return lang;
    }

    /** The label, or the key itself when it has none, so a missing label shows instead of breaking a page. */
    public String get(String key) {
        return texts.getOrDefault(key, key);
    }

    public String format(String key, Object... args) {
        return new MessageFormat(get(key), java.util.Locale.ROOT).format(args);
    }

    /** For templates: {@code ${t['inbox.title']}}. */
    public Map<String, String> all() {
        return texts;
    }
}
