package dev.todoapi.task;

import dev.todoapi.web.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TimeZone;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;
import org.jspecify.annotations.Nullable;

/**
 * RFC 5545 recurrence rules (lib-recur), evaluated in UTC from the task's due date. A task's rule
 * describes the occurrences from its own due date on, so the next occurrence carries the same rule with
 * COUNT one lower; a rule with COUNT=1, or whose UNTIL has passed, has run out.
 */
final class Recurrence {

    /** The due date and rule of the next occurrence. */
    record Next(OffsetDateTime dueDate, String rule) {}

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private Recurrence() {}

    /** The rule in canonical form, or a 422 naming the field. Accepts an optional "RRULE:" prefix. */
    static @Nullable String normalize(@Nullable String rule, String field) {
        if (rule == null) {
            return null;
        }
        String body = rule.strip();
        if (body.regionMatches(true, 0, "RRULE:", 0, 6)) {
            body = body.substring(6);
        }
        if (body.isEmpty()) {
            return null;
        }
        try {
            RecurrenceRule parsed = new RecurrenceRule(body, RecurrenceRule.RfcMode.RFC5545_STRICT);
            String canonical = parsed.toString();
            if (canonical.length() > 500) {
                throw ApiException.validation(field, "TOO_LONG", "size must be at most 500");
            }
            return canonical;
        } catch (InvalidRecurrenceRuleException | IllegalArgumentException e) {
            throw ApiException.validation(field, "INVALID_RRULE", "is not a valid RFC 5545 RRULE: " + e.getMessage());
        }
    }

    static Optional<Next> next(String rule, OffsetDateTime dueDate) {
        RecurrenceRule parsed;
        try {
            parsed = new RecurrenceRule(rule, RecurrenceRule.RfcMode.RFC5545_LAX);
        } catch (InvalidRecurrenceRuleException e) {
            return Optional.empty();
        }
        Integer count = parsed.getCount();
        if (count != null && count <= 1) {
            return Optional.empty();
        }
        long due = dueDate.toInstant().toEpochMilli();
        RecurrenceRuleIterator instances = parsed.iterator(due, UTC);
        // The due date itself is the current occurrence; a bounded search guards against rules that
        // never produce another instance.
        for (int i = 0; i < 1000 && instances.hasNext(); i++) {
            long instance = instances.nextMillis();
            if (instance > due) {
                if (count != null) {
                    parsed.setCount(count - 1);
                }
                return Optional.of(new Next(OffsetDateTime.ofInstant(Instant.ofEpochMilli(instance), ZoneOffset.UTC),
                        parsed.toString()));
            }
        }
        return Optional.empty();
    }
}
