package dev.todoapi.task;

import dev.todoapi.api.model.Priority;
import dev.todoapi.api.model.TagRef;
import dev.todoapi.api.model.Task;
import dev.todoapi.api.model.TaskOccurrence;
import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import java.util.ArrayList;
import java.util.List;

/** Tasks as the contract shows them. */
final class TaskRepresentation {

    private TaskRepresentation() {}

    /** The contract's priorities by their value: the generated fromValue compares with each in turn (2 % of a long list). */
    private static final java.util.Map<String, Priority> PRIORITIES = java.util.Arrays.stream(Priority.values())
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Priority::getValue, p -> p));

    private static Priority priority(String value) {
        Priority priority = PRIORITIES.get(value);
        return priority != null ? priority : Priority.fromValue(value); // which throws for a value the contract lacks
    }

    static Task of(TaskView view) {
        TasksRecord row = view.task();
        Task task = new Task(row.getId(), row.getUserId(), row.getListId(), row.getPosition(), view.subtaskCount(),
                view.openSubtaskCount(),
                row.getTitle(), row.getCompleted(), priority(row.getPriority()), tagRefs(view),
                row.getVersion(), row.getCreatedAt(), row.getUpdatedAt());
        task.setParentId(row.getParentId());
        task.setDescription(row.getDescription());
        task.setCompletedAt(row.getCompletedAt());
        task.setDueDate(row.getDueDate());
        task.setRecurrenceRule(row.getRecurrenceRule());
        if (view.nextOccurrence() != null) {
            task.setNextOccurrence(occurrence(view.nextOccurrence()));
        }
        return task;
    }

    /** The same fields as a Task, in the contract's non-recursive schema for a spawned occurrence. */
    private static TaskOccurrence occurrence(TaskView view) {
        TasksRecord row = view.task();
        TaskOccurrence task = new TaskOccurrence(row.getId(), row.getUserId(), row.getListId(), row.getPosition(),
                view.subtaskCount(), view.openSubtaskCount(), row.getTitle(), row.getCompleted(), priority(row.getPriority()),
                tagRefs(view), row.getVersion(), row.getCreatedAt(), row.getUpdatedAt());
        task.setParentId(row.getParentId());
        task.setDescription(row.getDescription());
        task.setCompletedAt(row.getCompletedAt());
        task.setDueDate(row.getDueDate());
        task.setRecurrenceRule(row.getRecurrenceRule());
        return task;
    }

    private static List<TagRef> tagRefs(TaskView view) {
        List<TagRef> tags = new ArrayList<>(view.tags().size());
        for (TagsRecord tag : view.tags()) {
            TagRef ref = new TagRef(tag.getId(), tag.getName());
            ref.setColor(tag.getColor());
            tags.add(ref);
        }
        return tags;
    }

    static List<Task> of(List<TaskView> views) {
        List<Task> tasks = new ArrayList<>(views.size());
        for (TaskView view : views) {
            tasks.add(of(view));
        }
        return tasks;
    }
}
