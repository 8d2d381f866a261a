package dev.todoapi.tag;

import dev.todoapi.web.ApiException;

/** Tag names are trimmed and may not be blank (the database checks the same). */
public final class TagNames {

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
