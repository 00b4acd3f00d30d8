package io.refundguard.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContractTimeTest {
    /** What the decoder did before: the schema's pattern, then the JDK's strict ISO parser. */
    private static final Pattern SCHEMA_SHAPE = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})");

    private static OffsetDateTime reference(String text) {
        if (!SCHEMA_SHAPE.matcher(text).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20T10:15:30.123+08:00", "2026-11-20T10:15Z", "2026-11-20T10:15:30Z",
        "2026-11-20T10:15:30.1-05:30", "2026-11-20T10:15:30.123456789+14:00", "2024-02-29T00:00:00-00:00",
        "2026-12-31T23:59:59.999999999Z"})
    void readsEveryShapeTheContractAllows(String text) {
        assertThat(ContractTime.parse(text)).isNotNull().isEqualTo(reference(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-20T10:15:30+08", "2026-11-20T10:15:30+08:00:00", "2026-11-20t10:15:30Z",
        "2026-11-20 10:15:30Z", "2026-11-20T10:15:30", "2026-11-20T10:15:30.Z", "2026-11-20T10:15:30.1234567890Z",
        "2026-13-01T00:00Z", "2026-02-30T00:00Z", "2026-11-20T24:00Z", "2026-11-20T10:60Z", "2026-11-20T10:15:60Z",
        "2026-11-20T10:15:30+19:00", "2026-11-20T10:15:30+08:60", "2026-11-20T10:15", "", "Z", "2026-11-20T10:15:3Z",
        "+2026-11-20T10:15Z", "２026-11-20T10:15Z", "2026-11-20T10:15:30.123+08:00 "})
    void refusesWhatTheSchemaOrTheCalendarRefuses(String text) {
        assertThat(ContractTime.parse(text)).isNull();
        assertThat(reference(text)).isNull();
    }

    @Test
    void agreesWithTheSchemaAndTheJdkOnMutatedTimes() {
        Random random = new Random(7);
        String alphabet = "0123456789-:T.Z+tz ";
        List<String> seeds = List.of("2026-11-20T10:15:30.123+08:00", "2026-02-28T23:59Z", "2099-12-31T00:00:00.5-09:30");
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0 && text.length() > 0; edits--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String candidate = text.toString();
            assertThat(ContractTime.parse(candidate)).as(candidate).isEqualTo(reference(candidate));
            if (reference(candidate) != null) {
                checked.add(candidate);
            }
        }
        assertThat(checked).as("valid mutants, so both branches were compared").hasSizeGreaterThan(1_000);
    }
}
