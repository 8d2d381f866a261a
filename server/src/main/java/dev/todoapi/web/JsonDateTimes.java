package dev.todoapi.web;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes date-times exactly as Jackson does ({@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}: seconds always, the
 * fraction without trailing zeros, {@code Z} for UTC), without a {@code DateTimeFormatter}: formatting the four
 * timestamps of every task was 7 % of the server's CPU on a list of 1,000 (bench/results/2026-12-03-tuning.md).
 * A value outside years 0–9999 or with another offset than UTC goes through the formatter.
 * {@code JsonDateTimesTest} compares the two on random and edge values.
 */
@Configuration(proxyBeanMethods = false)
public class JsonDateTimes {

    @Bean
    JsonMapperBuilderCustomizer fastDateTimesCustomizer() {
        return builder -> builder.addModule(module());
    }

    static SimpleModule module() {
        return new SimpleModule("fast-date-times").addSerializer(OffsetDateTime.class, new Serializer());
    }

    private static final class Serializer extends StdSerializer<OffsetDateTime> {
        Serializer() {
            super(OffsetDateTime.class);
        }

        @Override
        public void serialize(OffsetDateTime value, JsonGenerator generator, SerializationContext context) {
            char[] text = new char[32];
            int length = format(value, text);
            if (length < 0) {
                generator.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(value));
            } else {
                generator.writeString(text, 0, length);
            }
        }
    }

    /** Writes the value into {@code out} (32 chars at least) and returns its length; -1 when the formatter must. */
    static int format(OffsetDateTime value, char[] out) {
        int year = value.getYear();
        if (year < 0 || year > 9999 || !ZoneOffset.UTC.equals(value.getOffset())) {
            return -1;
        }
        digits(out, 0, year, 4);
        out[4] = '-';
        digits(out, 5, value.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, value.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, value.getHour(), 2);
        out[13] = ':';
        digits(out, 14, value.getMinute(), 2);
        out[16] = ':';
        digits(out, 17, value.getSecond(), 2);
        int i = 19;
        int nano = value.getNano();
        if (nano != 0) {
            int width = 9;
            while (nano % 10 == 0) {
                nano /= 10;
                width--;
            }
            out[i++] = '.';
            digits(out, i, nano, width);
            i += width;
        }
        out[i++] = 'Z';
        return i;
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            out[k] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
