package dev.todoapi.task;

import dev.todoapi.web.ETags;

import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A task with its tags and, right after a completion, the next occurrence it created. */
record TaskView(TasksRecord task, List<TagsRecord> tags, @Nullable TaskView nextOccurrence) {

    TaskView(TasksRecord task, List<TagsRecord> tags) {
        this(task, tags, null);
    }

    String etag() {
        return ETags.of(task.getVersion());
    }
}
