package dev.todoapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The fast date-time serializer writes what Jackson's own does, for every value. */
class JsonDateTimesTest {

    private static final JsonMapper PLAIN = JsonMapper.builder().build();
    private static final JsonMapper FAST = JsonMapper.builder().addModule(JsonDateTimes.module()).build();

    @Test
    void writesWhatJacksonWrites() {
        List<OffsetDateTime> values = new ArrayList<>(List.of(
                OffsetDateTime.of(2026, 12, 3, 16, 20, 51, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 100_000_000, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 123_456_000, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 1, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 999_999_999, ZoneOffset.UTC),
                OffsetDateTime.of(0, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000, ZoneOffset.UTC),
                OffsetDateTime.of(10000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(-1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC),
                OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 5_000, ZoneOffset.ofHours(2)),
                OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHoursMinutes(-9, -30)),
                OffsetDateTime.MIN, OffsetDateTime.MAX));
        SplittableRandom random = new SplittableRandom(20261203);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_402_300_799L),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(4) == 0 ? random.nextInt(1000) * 1_000_000 : random.nextInt(1_000_000) * 1_000);
            values.add(instant.atOffset(random.nextInt(10) == 0 ? ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600)) : ZoneOffset.UTC));
        }
        for (OffsetDateTime value : values) {
            assertThat(FAST.writeValueAsString(value)).as("%s", value).isEqualTo(PLAIN.writeValueAsString(value));
            assertThat(FAST.writeValueAsString(value)).isEqualTo('"' + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value) + '"');
        }
    }
}
