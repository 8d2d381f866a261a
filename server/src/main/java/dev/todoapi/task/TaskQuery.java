package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TASKS;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/** What a task list asks for: filters, order, page size and where the previous page ended. */
record TaskQuery(
        Status status,
        @Nullable UUID listId,
        @Nullable UUID parentId,
        @Nullable String priority,
        @Nullable String tag,
        @Nullable OffsetDateTime dueBefore,
        @Nullable OffsetDateTime dueAfter,
        @Nullable String text,
        @Nullable OffsetDateTime updatedSince,
        TaskSort sort,
        int limit,
        TaskCursor.@Nullable Position after) {

    /** What determines the SQL text of the list query (which filters are present, the order), not the values. */
    String shape() {
        return "task.page." + status + '.' + sort + '.' + (listId != null ? 'l' : '-') + (parentId != null ? 's' : '-') + (priority != null ? 'p' : '-') + (tag != null ? 't' : '-')
                + (dueBefore != null ? 'b' : '-') + (dueAfter != null ? 'a' : '-') + (text != null ? 'q' : '-')
                + (updatedSince != null ? 'u' : '-') + (after == null ? '-' : after.key() == null ? 'n' : 'c');
    }

    enum Status {
        ALL, PENDING, COMPLETED;

        Condition condition() {
            return switch (this) {
                case ALL -> DSL.noCondition();
                case PENDING -> TASKS.COMPLETED.isFalse();
                case COMPLETED -> TASKS.COMPLETED.isTrue();
            };
        }

        static @Nullable Status parse(String value) {
            return switch (value) {
                case "all" -> ALL;
                case "pending" -> PENDING;
                case "completed" -> COMPLETED;
                default -> null;
            };
        }
    }
}
