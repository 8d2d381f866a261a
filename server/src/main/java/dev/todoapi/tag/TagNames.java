package dev.todoapi.tag;

import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.web.ApiException;
import java.util.Comparator;
import java.util.Locale;

/** Tag names are trimmed and may not be blank (the database checks the same). */
public final class TagNames {

    /** The order a task's tags are shown in: by name, ignoring case. */
    public static final Comparator<TagsRecord> ORDER =
            Comparator.comparing((TagsRecord tag) -> tag.getName().toLowerCase(Locale.ROOT));

    private TagNames() {}

    public static String normalize(String name, String field) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.validation(field, "BLANK", "must not be blank");
        }
        if (trimmed.length() > 50) {
            throw ApiException.validation(field, "TOO_LONG", "size must be between 1 and 50");
        }
        return trimmed;
    }
}
