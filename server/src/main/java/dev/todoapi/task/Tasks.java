package dev.todoapi.task;

import dev.todoapi.web.ETags;

import dev.todoapi.db.jooq.tables.records.IdempotencyKeysRecord;
import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.tag.TagNames;
import dev.todoapi.tag.TagRepository;
import dev.todoapi.list.Lists;
import dev.todoapi.order.OrderKeys;
import dev.todoapi.web.ApiException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A user's tasks. Every operation is scoped by the user id; another user's task is indistinguishable
 * from a missing one. Changes lock the task's row first, so concurrent writers apply one after another
 * and none is lost; each change bumps the version (the ETag).
 */
@Service
public class Tasks {

    /** A complete set of task fields: a create or a full replace. */
    record Draft(String title, @Nullable String description, @Nullable String priority, @Nullable OffsetDateTime dueDate,
            @Nullable String recurrenceRule, List<String> tags, boolean completed, @Nullable UUID listId,
            @Nullable UUID parentId, boolean atBottom) {}

    /** Where a move puts a task: the intent, as the client gave it. */
    record Move(@Nullable UUID listId, @Nullable UUID parentId, @Nullable UUID afterId, @Nullable UUID beforeId) {}

    /** The fields a merge patch sets; a {@code *Set} flag says whether a nullable field is present. */
    record Changes(@Nullable String title, boolean descriptionSet, @Nullable String description,
            @Nullable Boolean completed, @Nullable String priority, boolean dueDateSet, @Nullable OffsetDateTime dueDate,
            boolean recurrenceRuleSet, @Nullable String recurrenceRule, @Nullable List<String> tags) {

        boolean isEmpty() {
            return title == null && !descriptionSet && completed == null && priority == null && !dueDateSet
                    && !recurrenceRuleSet && tags == null;
        }
    }

    /** An Idempotency-Key and the hash of the request that came with it. */
    record Idempotency(String key, byte[] requestHash) {}

    /** The outcome of a create: a new task, or the stored first response to an idempotent retry. */
    sealed interface Created {
        record New(TaskView task) implements Created {}

        record Replayed(int status, String body, UUID taskId) implements Created {}
    }

    record Page(List<TaskView> tasks, @Nullable String nextCursor) {}

    private static final int MAX_TITLE = 200;

    private final TaskRepository tasks;
    private final TagRepository tags;
    private final IdempotencyRepository idempotency;

    private final Lists lists;

    private final Rebalance rebalance;

    private final dev.todoapi.sync.ChangeLog changeLog;

    Tasks(TaskRepository tasks, TagRepository tags, IdempotencyRepository idempotency, Lists lists, Rebalance rebalance,
            dev.todoapi.sync.ChangeLog changeLog) {
        this.changeLog = changeLog;
        this.rebalance = rebalance;
        this.lists = lists;
        this.tasks = tasks;
        this.tags = tags;
        this.idempotency = idempotency;
    }

    // Reads are single statements (tasks with their tags): no transaction, one round trip.
    public Page list(String userId, TaskQuery query) {
        List<TaskView> rows = tasks.page(userId, query);
        boolean more = rows.size() > query.limit();
        List<TaskView> page = more ? rows.subList(0, query.limit()) : rows;
        String next = null;
        if (more) {
            TasksRecord last = page.get(page.size() - 1).task();
            next = TaskCursor.encode(query.sort(), query.sort().keyOf(last), last.getId());
        }
        return new Page(page, next);
    }

    /** An entry of a list's display order: a task and how deep it sits. */
    record Placed(TaskView task, int depth) {}

    record DisplayPage(List<Placed> entries, @Nullable String nextCursor) {}

    /**
     * A page of a list in display order. One statement per page; only an empty page costs a second one, to tell an
     * empty list from one that is not the user's (404).
     */
    public DisplayPage displayOrder(String userId, UUID listId, TaskQuery.Status status, @Nullable String afterPath, int limit) {
        List<TaskView> rows = tasks.displayPage(userId, listId, status, afterPath, limit);
        if (rows.isEmpty() && !lists.exists(userId, listId)) {
            throw Lists.notFound(listId);
        }
        boolean more = rows.size() > limit;
        List<TaskView> page = more ? rows.subList(0, limit) : rows;
        List<Placed> entries = new ArrayList<>(page.size());
        for (TaskView view : page) {
            entries.add(new Placed(view, TaskTree.depth(view.task().getSortPath())));
        }
        String next = null;
        if (more) {
            TasksRecord last = page.get(page.size() - 1).task();
            next = TaskCursor.encodeDisplay(last.getSortPath(), last.getId());
        }
        return new DisplayPage(entries, next);
    }

    /** These tasks as the contract shows them, by id (those the user has); for the change feed. */
    public Map<UUID, dev.todoapi.api.model.Task> representations(String userId, java.util.Collection<UUID> taskIds) {
        Map<UUID, dev.todoapi.api.model.Task> byId = new HashMap<>();
        if (!taskIds.isEmpty()) {
            tasks.byIds(userId, taskIds).forEach(view -> byId.put(view.task().getId(), TaskRepresentation.of(view)));
        }
        return byId;
    }

    public List<TaskView> all(String userId, TaskQuery.Status status) {
        return tasks.all(userId, status);
    }

    public TaskView get(String userId, UUID taskId) {
        return tasks.find(userId, taskId).orElseThrow(() -> notFound(taskId));
    }

    /**
     * Creates a task. With an idempotency key, the first request's response is stored in the same
     * transaction and a retry gets it back; a concurrent retry waits for the first to commit.
     */
    @Transactional
    public Created create(String userId, Draft draft, @Nullable Idempotency key, Function<TaskView, String> render) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        if (key != null && !idempotency.claim(userId, key.key(), key.requestHash())) {
            IdempotencyKeysRecord first = idempotency.find(userId, key.key()).orElseThrow();
            if (!Arrays.equals(first.getRequestHash(), key.requestHash())) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED",
                        "This Idempotency-Key was used for a different request; use a new key for a new task.");
            }
            return new Created.Replayed(first.getResponseStatus(), first.getResponseBody(), first.getResourceId());
        }
        Draft valid = validate(draft);
        TasksRecord parent = valid.parentId() == null ? null : parentOfNewSubtask(userId, valid.parentId(), valid.listId());
        TasksRecord row = new TasksRecord()
                .setUserId(userId)
                .setListId(parent != null ? parent.getListId() : listOf(userId, valid.listId()))
                .setParentId(valid.parentId())
                .setTitle(valid.title())
                .setDescription(valid.description())
                .setPriority(valid.priority())
                .setDueDate(valid.dueDate())
                .setRecurrenceRule(valid.recurrenceRule())
                .setCompleted(valid.completed())
                .setCompletedAt(valid.completed() ? OffsetDateTime.now() : null);
        row.setPosition(newPosition(userId, row.getListId(), row.getParentId(), valid.atBottom()));
        row.setSortPath(TaskTree.path(parent == null ? null : parent.getSortPath(), row.getPosition()));
        TasksRecord created = tasks.insert(row);
        List<TagsRecord> taskTags = byName(tags.resolve(userId, valid.tags()));
        tags.tagNewTask(userId, created.getId(), taskTags);
        TaskView view = new TaskView(created, taskTags);
        if (key != null) {
            idempotency.complete(userId, key.key(), HttpStatus.CREATED.value(), render.apply(view), created.getId());
        }
        return new Created.New(view);
    }

    /** Sets every field from the draft; optional fields it leaves out are cleared. */
    @Transactional
    public TaskView replace(String userId, UUID taskId, Draft draft, @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        TaskView current = locked(userId, taskId, ifMatch);
        TasksRecord task = current.task();
        Draft valid = validate(draft);
        boolean wasCompleted = task.getCompleted();
        task.setTitle(valid.title())
                .setDescription(valid.description())
                .setPriority(valid.priority())
                .setDueDate(valid.dueDate())
                .setRecurrenceRule(valid.recurrenceRule());
        setCompleted(task, valid.completed());
        List<TagsRecord> taskTags = byName(tags.resolve(userId, valid.tags()));
        tags.setTagsOfTask(userId, taskId, taskTags);
        return saved(userId, task, taskTags, wasCompleted, current);
    }

    /** Applies a merge patch: present fields are set, null clears, absent fields stay. */
    @Transactional
    public TaskView patch(String userId, UUID taskId, Changes changes, @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        TaskView current = locked(userId, taskId, ifMatch);
        if (changes.isEmpty()) {
            return current;
        }
        TasksRecord task = current.task();
        boolean wasCompleted = task.getCompleted();
        if (changes.title() != null) {
            task.setTitle(title(changes.title()));
        }
        if (changes.descriptionSet()) {
            task.setDescription(changes.description());
        }
        if (changes.priority() != null) {
            task.setPriority(changes.priority());
        }
        if (changes.dueDateSet()) {
            task.setDueDate(changes.dueDate());
        }
        if (changes.recurrenceRuleSet()) {
            task.setRecurrenceRule(Recurrence.normalize(changes.recurrenceRule(), "recurrence_rule"));
        }
        if (changes.completed() != null) {
            setCompleted(task, changes.completed());
        }
        List<TagsRecord> taskTags;
        if (changes.tags() != null) {
            taskTags = byName(tags.resolve(userId, tagNames(changes.tags())));
            tags.setTagsOfTask(userId, taskId, taskTags);
        } else {
            taskTags = current.tags();
        }
        return saved(userId, task, taskTags, wasCompleted, current);
    }

    @Transactional
    public TaskView toggle(String userId, UUID taskId, @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        TaskView current = locked(userId, taskId, ifMatch);
        return complete(userId, current, !current.task().getCompleted());
    }

    @Transactional
    public TaskView setCompleted(String userId, UUID taskId, boolean completed) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        return complete(userId, locked(userId, taskId, null), completed);
    }

    @Transactional
    public void delete(String userId, UUID taskId, @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        tasks.delete(userId, locked(userId, taskId, ifMatch).task());
    }

    private TaskView complete(String userId, TaskView current, boolean completed) {
        TasksRecord task = current.task();
        boolean wasCompleted = task.getCompleted();
        setCompleted(task, completed);
        return saved(userId, task, current.tags(), wasCompleted, current);
    }

    /**
     * Saves the changed task; when it has just been completed and recurs from a due date, its next
     * occurrence is created in the same transaction (same title, description, priority, tags and rule),
     * once: the task notes that it has spawned it, so reopening and completing it again spawns nothing.
     */
    private TaskView saved(String userId, TasksRecord changed, List<TagsRecord> taskTags, boolean wasCompleted,
            TaskView before) {
        java.util.Optional<Recurrence.Next> occurrence = java.util.Optional.empty();
        if (!wasCompleted && changed.getCompleted() && !Boolean.TRUE.equals(changed.getNextOccurrenceCreated())
                && changed.getRecurrenceRule() != null && changed.getDueDate() != null) {
            occurrence = Recurrence.next(changed.getRecurrenceRule(), changed.getDueDate());
            occurrence.ifPresent(ignored -> changed.setNextOccurrenceCreated(true));
        }
        if (wasCompleted != changed.getCompleted()) {
            changeLog.countsMayChange(userId); // its list's, its parent's and its tags' open counts
        }
        TasksRecord task = tasks.update(changed);
        int openSubtasks = before.openSubtaskCount();
        if (!wasCompleted && task.getCompleted() && openSubtasks > 0) {
            // Completing a parent completes its open subtasks, all the way down (reopening it reopens none).
            tasks.completeSubtree(userId, task.getId());
            openSubtasks = 0;
        }
        TaskView next = null;
        if (occurrence.isPresent()) {
            String parentPath = lockPlace(userId, task.getListId(), task.getParentId());
            next = occurrence.map(spawned -> {
                String position = newPosition(userId, task.getListId(), task.getParentId(), false);
                TasksRecord created = tasks.insert(new TasksRecord()
                        .setUserId(userId)
                        .setListId(task.getListId())
                        .setParentId(task.getParentId())
                        .setPosition(position)
                        .setSortPath(TaskTree.path(parentPath, position))
                        .setTitle(task.getTitle())
                        .setDescription(task.getDescription())
                        .setPriority(task.getPriority())
                        .setDueDate(spawned.dueDate())
                        .setRecurrenceRule(spawned.rule())
                        .setCompleted(false));
                tags.tagNewTask(userId, created.getId(), taskTags);
                int copied = copySubtasks(userId, task.getId(), created);
                return new TaskView(created, taskTags, null, copied, copied);
            }).orElse(null);
        }
        return new TaskView(task, taskTags, next, before.subtaskCount(), openSubtasks);
    }

    /**
     * Puts a trashed task and its subtree back with their ids: first under its parent when that still exists and has
     * room (depth and subtask count), else first in its list's top level, else first in the Inbox. The subtree keeps its
     * shape and order; tags that still exist are put back. Returns the task.
     */
    @Transactional
    public dev.todoapi.api.model.Task restoreSubtree(String userId, UUID rootId, List<TasksRecord> rows,
            List<dev.todoapi.db.jooq.tables.records.TaskTagsRecord> links) {
        changeLog.begin(userId);
        TasksRecord root = rows.stream().filter(r -> r.getId().equals(rootId)).findFirst().orElseThrow();
        String oldPath = root.getSortPath();
        int below = rows.stream().mapToInt(r -> TaskTree.depth(r.getSortPath())).max().orElse(0) - TaskTree.depth(oldPath);
        UUID listId = null;
        UUID parentId = null;
        String parentPath = null;
        if (root.getParentId() != null) {
            TasksRecord parent = tasks.lock(userId, root.getParentId()).map(TaskView::task).orElse(null);
            if (parent != null && TaskTree.depth(parent.getSortPath()) + 1 + below < MAX_DEPTH
                    && tasks.subtaskCount(userId, parent.getId()) < MAX_SUBTASKS) {
                listId = parent.getListId();
                parentId = parent.getId();
                parentPath = parent.getSortPath();
            }
        }
        if (listId == null) {
            listId = lists.lockForPlacing(userId, root.getListId()).or(() -> lists.lockForPlacing(userId, null)).orElseThrow();
        }
        String position = OrderKeys.between(null, tasks.positionAfter(userId, listId, parentId, null, null));
        String newPath = TaskTree.path(parentPath, position);
        rows.sort(java.util.Comparator.comparingInt(r -> TaskTree.depth(r.getSortPath()))); // parents before children
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        for (TasksRecord row : rows) {
            row.setListId(listId);
            row.setSortPath(newPath + row.getSortPath().substring(oldPath.length()));
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now);
        }
        root.setParentId(parentId).setPosition(position);
        tasks.insertExact(userId, rows, links);
        return TaskRepresentation.of(get(userId, rootId));
    }

    /** Puts back the tasks of a restored list as they were (the list is new again: no path can be taken). */
    @Transactional
    public void restoreRows(String userId, List<TasksRecord> rows, List<dev.todoapi.db.jooq.tables.records.TaskTagsRecord> links) {
        changeLog.begin(userId);
        rows.sort(java.util.Comparator.comparingInt(r -> TaskTree.depth(r.getSortPath())));
        java.time.OffsetDateTime now = java.time.OffsetDateTime.now();
        for (TasksRecord row : rows) {
            row.setVersion(row.getVersion() + 1);
            row.setUpdatedAt(now);
        }
        tasks.insertExact(userId, rows, links);
    }

    /** Tags are shown in name order, as reads return them. */
    private static List<TagsRecord> byName(List<TagsRecord> tags) {
        return tags.stream().sorted(TagNames.ORDER).toList();
    }

    private static void setCompleted(TasksRecord task, boolean completed) {
        if (completed != task.getCompleted()) {
            task.setCompleted(completed);
            task.setCompletedAt(completed ? OffsetDateTime.now() : null);
        }
    }

    /**
     * Fresh, open copies of the subtasks of {@code from}, all the way down, under {@code to} (the next occurrence of
     * a recurring task): same titles, descriptions and priorities, no due dates. Returns the direct copies.
     */
    private int copySubtasks(String userId, UUID from, TasksRecord to) {
        Map<UUID, TasksRecord> copyOf = new HashMap<>(Map.of(from, to));
        List<UUID> level = List.of(from);
        int direct = 0;
        for (int depth = 1; depth < MAX_DEPTH && !level.isEmpty(); depth++) {
            List<UUID> next = new ArrayList<>();
            List<TasksRecord> children = tasks.childrenOf(userId, level);
            Map<UUID, Integer> siblingCount = new HashMap<>();
            children.forEach(child -> siblingCount.merge(child.getParentId(), 1, Integer::sum));
            Map<UUID, java.util.Iterator<String>> keys = new HashMap<>();
            siblingCount.forEach((parent, n) -> keys.put(parent, OrderKeys.between(null, null, n).iterator()));
            for (TasksRecord child : children) {
                TasksRecord parent = copyOf.get(child.getParentId());
                String position = keys.get(child.getParentId()).next();
                TasksRecord copy = tasks.insert(new TasksRecord()
                        .setUserId(userId)
                        .setListId(to.getListId())
                        .setParentId(parent.getId())
                        .setPosition(position)
                        .setSortPath(TaskTree.path(parent.getSortPath(), position))
                        .setTitle(child.getTitle())
                        .setDescription(child.getDescription())
                        .setPriority(child.getPriority())
                        .setCompleted(false));
                copyOf.put(child.getId(), copy);
                next.add(child.getId());
                if (depth == 1) {
                    direct++;
                }
            }
            level = next;
        }
        return direct;
    }

    /**
     * A new task's position: first (or last) among its siblings. The caller holds the lock of the place (the parent
     * task, or the list for a top-level task), so tasks placed there are placed one at a time; the unique key on
     * positions would refuse a duplicate anyway.
     */
    private String newPosition(String userId, UUID listId, @Nullable UUID parentId, boolean atBottom) {
        return atBottom
                ? OrderKeys.between(tasks.positionBefore(userId, listId, parentId, null, null), null)
                : OrderKeys.between(null, tasks.positionAfter(userId, listId, parentId, null, null));
    }

    /** Locks the place (the parent task, or the list for the top level); the parent's sort path (null: top level). */
    private @Nullable String lockPlace(String userId, UUID listId, @Nullable UUID parentId) {
        if (parentId != null) {
            return tasks.lockRow(userId, parentId).orElseThrow(() -> notFound(parentId));
        }
        lists.lockForPlacing(userId, listId);
        return null;
    }

    private static ApiException tooDeep(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "TOO_DEEP", detail,
                List.of(new dev.todoapi.api.model.FieldError("parent_id", "TOO_DEEP", "is too deep")));
    }

    private static ApiException subtaskLimitReached() {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "SUBTASK_LIMIT_REACHED",
                "A task has at most " + MAX_SUBTASKS + " subtasks.",
                List.of(new dev.todoapi.api.model.FieldError("parent_id", "SUBTASK_LIMIT_REACHED", "has no room for another subtask")));
    }

    /**
     * Puts the task (with its subtree) after or before a sibling, first under a parent or in a list, or first where
     * it is. Its id stays; its subtree follows it to another list. The target is checked under locks: it is the
     * user's, it is not the task or below it (no cycles), and the subtree fits within {@link #MAX_DEPTH} levels.
     */
    @Transactional
    public TaskView move(String userId, UUID taskId, Move move, @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        if (move.afterId() != null && move.beforeId() != null) {
            throw ApiException.validation("before_id", "INVALID_VALUE", "give after_id or before_id, not both");
        }
        UUID siblingId = move.afterId() != null ? move.afterId() : move.beforeId();
        String siblingField = move.afterId() != null ? "after_id" : "before_id";
        if (siblingId != null && siblingId.equals(taskId)) {
            throw ApiException.validation(siblingField, "INVALID_VALUE", "must be another task than the one moved");
        }
        // The task rows a move touches (the task and its subtree, the sibling, the new parent or the sibling's) are
        // locked first, in one statement, in id order, so that two moves naming each other's tasks wait for one
        // another instead of deadlocking; where they are comes from reading them unlocked first.
        java.util.Set<UUID> named = new java.util.TreeSet<>();
        named.add(taskId);
        if (siblingId != null) {
            named.add(siblingId);
        }
        if (move.parentId() != null) {
            named.add(move.parentId());
        }
        Map<UUID, TasksRecord> before = new HashMap<>();
        tasks.placesOf(userId, named).forEach(row -> before.put(row.getId(), row));
        UUID place = siblingId != null ? parentIn(before.get(siblingId))
                : move.parentId() == null && move.listId() == null ? parentIn(before.get(taskId)) : null;
        if (place != null) {
            named.add(place);
        }
        Map<UUID, TasksRecord> places = tasks.lockInOrder(userId, named, before.get(taskId));
        TaskView current = locked(userId, taskId, ifMatch);
        TasksRecord task = current.task();
        UUID listId;
        UUID parentId;
        TasksRecord sibling = null;
        if (siblingId != null) {
            sibling = places.get(siblingId);
            if (sibling == null) {
                throw ApiException.validation(siblingField, "TASK_NOT_FOUND", "is not one of your tasks");
            }
            listId = sibling.getListId();
            parentId = sibling.getParentId();
            if ((move.listId() != null && !move.listId().equals(listId))
                    || (move.parentId() != null && !move.parentId().equals(parentId))) {
                throw ApiException.validation(siblingField, "TARGET_MISMATCH", "is not in the given list or under the given parent");
            }
        } else if (move.parentId() != null) {
            parentId = move.parentId();
            TasksRecord parent = places.get(parentId);
            if (parent == null) {
                throw ApiException.validation("parent_id", "TASK_NOT_FOUND", "is not one of your tasks");
            }
            listId = parent.getListId();
            if (move.listId() != null && !move.listId().equals(listId)) {
                throw ApiException.validation("list_id", "LIST_MISMATCH", "must be the parent's list (or left out)");
            }
        } else if (move.listId() != null) {
            listId = move.listId();
            parentId = null;
            if (lists.lockForPlacing(userId, listId).isEmpty()) {
                throw ApiException.validation("list_id", "LIST_NOT_FOUND", "is not one of your lists");
            }
        } else {
            listId = task.getListId();
            parentId = task.getParentId();
        }
        if (parentId != null && !java.util.Objects.equals(parentId, task.getParentId())) {
            checkNewParent(userId, task, parentId);
        }
        // The place: the parent (locked above when the move named it or its child; else locked now), or the list.
        String parentPath = parentId != null && places.containsKey(parentId) ? places.get(parentId).getSortPath()
                : lockPlace(userId, listId, parentId);
        String low;
        String high;
        if (sibling == null) {
            low = null;
            high = tasks.positionAfter(userId, listId, parentId, null, taskId);
        } else if (move.afterId() != null) {
            low = sibling.getPosition();
            high = tasks.positionAfter(userId, listId, parentId, low, taskId);
        } else {
            low = tasks.positionBefore(userId, listId, parentId, sibling.getPosition(), taskId);
            high = sibling.getPosition();
        }
        String position = OrderKeys.between(low, high);
        if (position.length() > REBALANCE_AT) {
            java.util.Optional<Rebalance.Gap> gap = rebalance.around(userId, listId, parentId, parentPath, low, high);
            if (gap.isPresent()) {
                position = OrderKeys.between(gap.get().low(), gap.get().high());
                task = tasks.lock(userId, taskId).orElseThrow().task(); // it may have been re-keyed with its siblings
            } else if (position.length() > OrderKeys.MAX_LENGTH) {
                throw new ApiException(HttpStatus.CONFLICT, "CONFLICT",
                        "Tasks around this place are being changed; retry the move in a moment.");
            }
        }
        TasksRecord saved = tasks.moveSubtree(userId, task, listId, parentId, position, parentPath);
        return new TaskView(saved, current.tags(), null, current.subtaskCount(), current.openSubtaskCount());
    }

    private static @Nullable UUID parentIn(@Nullable TasksRecord row) {
        return row == null ? null : row.getParentId();
    }

    /** The new parent is the user's, not the task or below it, and the task's subtree fits under it. */
    private void checkNewParent(String userId, TasksRecord task, UUID parentId) {
        int depth = 1; // of the new parent
        for (UUID above = parentId; above != null; above = tasks.parentOf(userId, above)) {
            if (above.equals(task.getId())) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "CYCLE",
                        "A task can't be moved under itself or one of its subtasks.",
                        List.of(new dev.todoapi.api.model.FieldError("parent_id", "CYCLE", "is the task or one of its subtasks")));
            }
            if (tasks.parentOf(userId, above) != null) {
                depth++;
            }
        }
        int height = 1 + tasks.levelsBelow(userId, task);
        if (depth + height > MAX_DEPTH) {
            throw tooDeep("Tasks nest at most " + MAX_DEPTH + " levels deep; the task and its subtasks would need "
                    + (depth + height) + ".");
        }
        if (tasks.subtaskCount(userId, parentId) >= MAX_SUBTASKS) {
            throw subtaskLimitReached();
        }
    }

    /**
     * A key longer than this (after many moves into one gap) makes the move re-key the siblings around the gap first
     * ({@link Rebalance}); keys may grow to {@link OrderKeys#MAX_LENGTH} when that has to wait.
     */
    static final int REBALANCE_AT = 48;

    /** Levels of tasks: a top-level task and up to three levels of subtasks below it. */
    static final int MAX_DEPTH = 4;

    /** Subtasks a task may have. */
    static final int MAX_SUBTASKS = 1_000;

    /**
     * The parent of a new subtask (whose list it shares), locked (so it can't be deleted meanwhile) and checked: it
     * exists, is less than {@link #MAX_DEPTH} levels deep, and has room for one more subtask.
     */
    private TasksRecord parentOfNewSubtask(String userId, UUID parentId, @Nullable UUID listId) {
        TasksRecord parent = tasks.lock(userId, parentId)
                .orElseThrow(() -> ApiException.validation("parent_id", "TASK_NOT_FOUND", "is not one of your tasks"))
                .task();
        int depth = 1;
        for (UUID above = parent.getParentId(); above != null; above = tasks.parentOf(userId, above)) {
            depth++;
            if (depth >= MAX_DEPTH) {
                throw tooDeep("Tasks nest at most " + MAX_DEPTH + " levels deep; this parent is at level " + depth + ".");
            }
        }
        if (tasks.subtaskCount(userId, parentId) >= MAX_SUBTASKS) {
            throw subtaskLimitReached();
        }
        if (listId != null && !listId.equals(parent.getListId())) {
            throw ApiException.validation("list_id", "LIST_MISMATCH", "must be the parent's list (or left out)");
        }
        return parent;
    }

    /**
     * The named list (422 when the user has no such list), or the user's default list, row-locked for placing a
     * top-level task in it (one statement finds and locks it).
     */
    private UUID listOf(String userId, @Nullable UUID listId) {
        return lists.lockForPlacing(userId, listId).orElseThrow(() -> listId == null
                ? new IllegalStateException("User " + userId + " has no default list")
                : ApiException.validation("list_id", "LIST_NOT_FOUND", "is not one of your lists"));
    }

    /** The task with its tags, row-locked; 412 when If-Match doesn't match its version. */
    private TaskView locked(String userId, UUID taskId, @Nullable String ifMatch) {
        TaskView task = tasks.lock(userId, taskId).orElseThrow(() -> notFound(taskId));
        ETags.checkIfMatch(ifMatch, task.task().getVersion());
        return task;
    }

    private static Draft validate(Draft draft) {
        return new Draft(
                title(draft.title()),
                draft.description(),
                draft.priority() == null ? "medium" : draft.priority(),
                draft.dueDate(),
                Recurrence.normalize(draft.recurrenceRule(), "recurrence_rule"),
                tagNames(draft.tags()),
                draft.completed(),
                draft.listId(),
                draft.parentId(),
                draft.atBottom());
    }

    private static String title(String title) {
        String trimmed = title.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.validation("title", "BLANK", "must not be blank");
        }
        if (trimmed.length() > MAX_TITLE) {
            throw ApiException.validation("title", "TOO_LONG", "size must be between 1 and 200");
        }
        return trimmed;
    }

    private static List<String> tagNames(List<String> names) {
        if (names.size() > 20) {
            throw ApiException.validation("tags", "TOO_MANY", "at most 20 tags per task");
        }
        List<String> normalized = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null) {
                throw ApiException.validation("tags[" + i + "]", "REQUIRED", "must not be null");
            }
            normalized.add(TagNames.normalize(names.get(i), "tags[" + i + "]"));
        }
        return normalized;
    }

    static ApiException notFound(UUID taskId) {
        return new ApiException(HttpStatus.NOT_FOUND, "TASK_NOT_FOUND", "There is no task " + taskId + ".");
    }
}
