package dev.todoapi.task;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Creates tasks through the real {@link Tasks} service for tests outside this package, such as the provider
 * states of the Pact verification ({@code dev.todoapi.pact}).
 */
public final class TaskFixtures {

    private final Tasks tasks;

    public TaskFixtures(Tasks tasks) {
        this.tasks = tasks;
    }

    /** Creates a task of the user and returns its id; {@code priority} as in the contract, null for the default. */
    public UUID create(String userId, String title, @Nullable String description, @Nullable String priority,
            @Nullable OffsetDateTime dueDate, List<String> tags, boolean completed) {
        return create(userId, title, description, priority, dueDate, tags, completed, null);
    }

    /** As the other {@code create}, in the list {@code listId} (null: the Inbox). */
    public UUID create(String userId, String title, @Nullable String description, @Nullable String priority,
            @Nullable OffsetDateTime dueDate, List<String> tags, boolean completed, @Nullable UUID listId) {
        Tasks.Draft draft = new Tasks.Draft(title, description, priority, dueDate, null, tags, completed, listId, null, false);
        if (!(tasks.create(userId, draft, null, view -> "") instanceof Tasks.Created.New created)) {
            throw new IllegalStateException("a create without an idempotency key is never a replay");
        }
        return created.task().task().getId();
    }

    /** Creates a subtask (last under its parent, in the parent's list) and returns its id. */
    public UUID createSubtask(String userId, UUID parentId, String title) {
        Tasks.Draft draft = new Tasks.Draft(title, null, null, null, null, List.of(), false, null, parentId, true);
        if (!(tasks.create(userId, draft, null, view -> "") instanceof Tasks.Created.New created)) {
            throw new IllegalStateException("a create without an idempotency key is never a replay");
        }
        return created.task().task().getId();
    }
}
