package io.refundguard.settings;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.time.Duration;

/**
 * Durations in JSON and YAML as people write them ({@link Durations}), for the configuration file
 * and the rule sets on the control topic alike, so that one text means the same in both.
 */
public final class DurationJson {
    private DurationJson() {}

    /** Writes {@code 30d}, {@code 250ms}: what an operator would have written. */
    public static final class Writer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator out, SerializerProvider serializers) throws IOException {
            out.writeString(Durations.format(value));
        }
    }

    /** Reads a duration text; anything else fails naming the field, as Jackson reports it. */
    public static final class Reader extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            if (text == null) {
                return (Duration) context.handleUnexpectedToken(Duration.class, parser);
            }
            try {
                return Durations.parse(text);
            } catch (RuntimeException e) {
                throw JsonMappingException.from(parser, e.getMessage(), e);
            }
        }
    }
}
