package dev.todoapi.task;

import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import java.util.List;
import dev.todoapi.web.ETags;
import org.jspecify.annotations.Nullable;

/**
 * A task with its tags, the counts of its direct subtasks and, right after a completion, the next occurrence it
 * created.
 */
record TaskView(TasksRecord task, List<TagsRecord> tags, @Nullable TaskView nextOccurrence, int subtaskCount,
        int openSubtaskCount) {

    /** A task that has no subtasks (just created). */
    TaskView(TasksRecord task, List<TagsRecord> tags) {
        this(task, tags, null, 0, 0);
    }

    String etag() {
        return ETags.of(task.getVersion());
    }
}
