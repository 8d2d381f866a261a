package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TASKS;

import dev.todoapi.db.jooq.tables.records.TasksRecord;
import java.time.OffsetDateTime;
import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * The orders a task list can take, each with an id tie-breaker so the order is total, and the keyset
 * condition "comes after this position" that makes the next page (no OFFSET: pages stay right while tasks
 * are added or deleted). Tasks without a due date come last in both due-date orders.
 */
enum TaskSort {
    CREATED_DESC("-created_at"),
    CREATED_ASC("created_at"),
    DUE_ASC("due_date"),
    DUE_DESC("-due_date"),
    PRIORITY_ASC("priority"),
    PRIORITY_DESC("-priority"),
    TITLE_ASC("title"),
    POSITION_ASC("position");

    /** low < medium < high. */
    static final Field<Integer> PRIORITY_RANK = DSL.when(TASKS.PRIORITY.eq("low"), 1)
            .when(TASKS.PRIORITY.eq("medium"), 2)
            .otherwise(3);

    private final String parameter;

    TaskSort(String parameter) {
        this.parameter = parameter;
    }

    String parameter() {
        return parameter;
    }

    static @Nullable TaskSort parse(String value) {
        for (TaskSort sort : values()) {
            if (sort.parameter.equals(value)) {
                return sort;
            }
        }
        return null;
    }

    List<SortField<?>> orderBy() {
        return switch (this) {
            case CREATED_DESC -> List.of(TASKS.CREATED_AT.desc(), TASKS.ID.desc());
            case CREATED_ASC -> List.of(TASKS.CREATED_AT.asc(), TASKS.ID.asc());
            case DUE_ASC -> List.of(TASKS.DUE_DATE.asc().nullsLast(), TASKS.ID.asc());
            case DUE_DESC -> List.of(TASKS.DUE_DATE.desc().nullsLast(), TASKS.ID.desc());
            case PRIORITY_ASC -> List.of(PRIORITY_RANK.asc(), TASKS.ID.asc());
            case PRIORITY_DESC -> List.of(PRIORITY_RANK.desc(), TASKS.ID.desc());
            case TITLE_ASC -> List.of(TASKS.TITLE.asc(), TASKS.ID.asc());
            case POSITION_ASC -> List.of(TASKS.POSITION.asc(), TASKS.ID.asc());
        };
    }

    /** The sort key of a task, as it goes into a cursor. */
    @Nullable String keyOf(TasksRecord task) {
        return switch (this) {
            case CREATED_DESC, CREATED_ASC -> task.getCreatedAt().toString();
            case DUE_ASC, DUE_DESC -> task.getDueDate() == null ? null : task.getDueDate().toString();
            case PRIORITY_ASC, PRIORITY_DESC -> String.valueOf(rank(task.getPriority()));
            case TITLE_ASC -> task.getTitle();
            case POSITION_ASC -> task.getPosition();
        };
    }

    /** Tasks that come after the position in this order. */
    Condition after(TaskCursor.Position position) {
        String key = position.key();
        var id = position.id();
        return switch (this) {
            case CREATED_DESC -> DSL.row(TASKS.CREATED_AT, TASKS.ID).lt(OffsetDateTime.parse(key), id);
            case CREATED_ASC -> DSL.row(TASKS.CREATED_AT, TASKS.ID).gt(OffsetDateTime.parse(key), id);
            case DUE_ASC -> key == null
                    ? TASKS.DUE_DATE.isNull().and(TASKS.ID.gt(id))
                    : DSL.row(TASKS.DUE_DATE, TASKS.ID).gt(OffsetDateTime.parse(key), id).or(TASKS.DUE_DATE.isNull());
            case DUE_DESC -> key == null
                    ? TASKS.DUE_DATE.isNull().and(TASKS.ID.lt(id))
                    : DSL.row(TASKS.DUE_DATE, TASKS.ID).lt(OffsetDateTime.parse(key), id).or(TASKS.DUE_DATE.isNull());
            case PRIORITY_ASC -> DSL.row(PRIORITY_RANK, TASKS.ID).gt(Integer.parseInt(key), id);
            case PRIORITY_DESC -> DSL.row(PRIORITY_RANK, TASKS.ID).lt(Integer.parseInt(key), id);
            case TITLE_ASC -> DSL.row(TASKS.TITLE, TASKS.ID).gt(key, id);
            case POSITION_ASC -> DSL.row(TASKS.POSITION, TASKS.ID).gt(key, id);
        };
    }

    /** Whether a cursor key is well-formed for this order (checked before it reaches SQL). */
    boolean acceptsKey(@Nullable String key) {
        try {
            switch (this) {
                case CREATED_DESC, CREATED_ASC -> OffsetDateTime.parse(key);
                case DUE_ASC, DUE_DESC -> {
                    if (key != null) {
                        OffsetDateTime.parse(key);
                    }
                }
                case PRIORITY_ASC, PRIORITY_DESC -> {
                    int rank = Integer.parseInt(key);
                    if (rank < 1 || rank > 3) {
                        return false;
                    }
                }
                case TITLE_ASC -> {
                    if (key == null) {
                        return false;
                    }
                }
                case POSITION_ASC -> {
                    if (!dev.todoapi.order.OrderKeys.isValid(key)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static int rank(String priority) {
        return switch (priority) {
            case "low" -> 1;
            case "medium" -> 2;
            default -> 3;
        };
    }
}
