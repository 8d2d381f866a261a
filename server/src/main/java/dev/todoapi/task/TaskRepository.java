package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;

import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.database.RenderedSql;
import dev.todoapi.tag.TagNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Result;
import org.jooq.SelectJoinStep;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

/** Tasks, always within one user's data: every statement is scoped by user_id. */
@Repository
class TaskRepository {

    /**
     * The tags of the task on the same row, by name, as a correlated MULTISET: a task comes with its
     * tags in one statement (one round trip, no transaction needed for a consistent read). Every table in it
     * is pinned to the user by a bind value, not only correlated, so on Citus it is one shard's statement.
     */
    private static Field<Result<TagsRecord>> tagsOfTask(Field<String> userId) {
        return DSL.multiset(
                        DSL.select(TAGS.ID, TAGS.NAME, TAGS.COLOR)
                                .from(TASK_TAGS)
                                .join(TAGS).on(TAGS.USER_ID.eq(userId), TAGS.ID.eq(TASK_TAGS.TAG_ID))
                                .where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TASK_ID.eq(TASKS.ID))
                                .orderBy(DSL.lower(TAGS.NAME)))
                .as("tags")
                .convertFrom(tags -> tags.into(TAGS));
    }

    /** The prepared statements' tags field: the user id is their first two parameters. */
    private static final Field<Result<TagsRecord>> TAGS_OF_TASK = tagsOfTask(DSL.param("user_id", String.class));

    /**
     * On lists, only the ids of each task's tags (a correlated ARRAY, pinned to the user), resolved with one
     * query for the whole page: PostgreSQL builds a page of 50 about 60 % faster than with a tag row per task
     * (pgbench in bench/results/2026-11-23-tuning.md).
     */
    private static Field<UUID[]> tagIds(String userId) {
        return DSL.array(DSL.select(TASK_TAGS.TAG_ID)
                        .from(TASK_TAGS)
                        .where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TASK_ID.eq(TASKS.ID)))
                .as(TAG_IDS);
    }

    private static final String TAG_IDS = "tag_ids";

    /** Another row of tasks: the subtasks of the outer one. */
    private static final dev.todoapi.db.jooq.tables.Tasks SUBTASK = TASKS.as("subtask");

    /** The number of the task's direct subtasks (all, or only those not completed), pinned to the user. */
    private static Field<Integer> subtaskCount(Field<String> userId, boolean openOnly) {
        return DSL.field(DSL.select(DSL.count()).from(SUBTASK)
                        .where(SUBTASK.USER_ID.eq(userId), SUBTASK.PARENT_ID.eq(TASKS.ID))
                        .and(openOnly ? SUBTASK.COMPLETED.isFalse() : DSL.noCondition()))
                .as(openOnly ? OPEN_SUBTASKS : SUBTASKS);
    }

    private static final String SUBTASKS = "subtask_count";
    private static final String OPEN_SUBTASKS = "open_subtask_count";

    /**
     * Where the selects of tasks put their extra fields, after the task's own columns: the tags (or tag ids), the
     * subtask count and the open subtask count. Read by position: by name, each value cost a field lookup.
     */
    private static final int TAGS_AT = TASKS.fields().length;
    private static final int SUBTASKS_AT = TAGS_AT + 1;
    private static final int OPEN_SUBTASKS_AT = TAGS_AT + 2;
    private static final Field<String> USER_PARAM = DSL.param("user_id", String.class);

    /** The fields a create sets and an update writes (besides the keys, version and timestamps). */
    private static final List<Field<?>> WRITABLE = List.of(TASKS.LIST_ID, TASKS.PARENT_ID, TASKS.POSITION, TASKS.SORT_PATH, TASKS.CHANGE_SEQ, TASKS.TITLE, TASKS.DESCRIPTION, TASKS.PRIORITY,
            TASKS.DUE_DATE, TASKS.RECURRENCE_RULE, TASKS.COMPLETED, TASKS.COMPLETED_AT, TASKS.NEXT_OCCURRENCE_CREATED);

    private final DSLContext db;
    private final RenderedSql rendered;
    private final RenderedSql.Prepared find;
    private final RenderedSql.Prepared lock;
    private final RenderedSql.Prepared tagsByIds;
    private final RenderedSql.Prepared insert;
    private final RenderedSql.Prepared update;

    private final dev.todoapi.sync.ChangeLog changes;

    TaskRepository(DSLContext db, RenderedSql rendered, dev.todoapi.sync.ChangeLog changes) {
        this.changes = changes;
        this.db = db;
        this.rendered = rendered;
        Condition byId = TASKS.USER_ID.eq(DSL.param("user_id", String.class)).and(TASKS.ID.eq(DSL.param("id", UUID.class)));
        // Parameters: the user id for the tags' join and subquery and the two subtask counts, then the user id and
        // the task id.
        this.find = rendered.prepare(withTags().where(byId), 6);
        this.lock = rendered.prepare(withTags().where(byId).forUpdate().of(TASKS), 6);
        this.tagsByIds = rendered.prepare(db.select(TAGS.ID, TAGS.NAME, TAGS.COLOR).from(TAGS).where(
                TAGS.USER_ID.eq(DSL.param("user_id", String.class)),
                TAGS.ID.eq(DSL.any(DSL.param("ids", SQLDataType.UUID.array())))), 2);
        Map<Field<?>, Field<?>> writable = new LinkedHashMap<>();
        for (Field<?> field : WRITABLE) {
            writable.put(field, DSL.param(field.getName(), field));
        }
        this.insert = rendered.prepare(db.insertInto(TASKS)
                .set(TASKS.USER_ID, DSL.param("user_id", TASKS.USER_ID))
                .set(writable)
                .returning(), 1 + WRITABLE.size());
        this.update = rendered.prepare(db.update(TASKS)
                .set(writable)
                .set(TASKS.VERSION, TASKS.VERSION.plus(DSL.inline(1)))
                .set(TASKS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(byId)
                .returning(), WRITABLE.size() + 2);
    }

    Optional<TaskView> find(String userId, UUID taskId) {
        return find.bind(userId, userId, userId, userId, userId, taskId).fetchOptional(TaskRepository::toView);
    }

    /** The task, row-locked until the transaction ends, so concurrent updates apply one after another. */
    Optional<TaskView> lock(String userId, UUID taskId) {
        return lock.bind(userId, userId, userId, userId, userId, taskId).fetchOptional(TaskRepository::toView);
    }

    TasksRecord insert(TasksRecord task) {
        task.setChangeSeq(changes.seq(task.getUserId()));
        changes.countsMayChange(task.getUserId()); // a new task counts in its list, its parent and its tags
        if (task.getNextOccurrenceCreated() == null) {
            task.setNextOccurrenceCreated(false); // a new task has spawned nothing (the column is NOT NULL)
        }
        List<Object> values = new ArrayList<>(1 + WRITABLE.size());
        values.add(DSL.val(task.getUserId(), TASKS.USER_ID));
        values.addAll(writableValues(task));
        return insert.bind(values.toArray()).fetchSingle().into(TASKS);
    }

    /** Writes the locked task's new field values and bumps its version. */
    TasksRecord update(TasksRecord task) {
        task.setChangeSeq(changes.seq(task.getUserId()));
        List<Object> values = writableValues(task);
        values.add(DSL.val(task.getUserId(), TASKS.USER_ID));
        values.add(DSL.val(task.getId(), TASKS.ID));
        return update.bind(values.toArray()).fetchSingle().into(TASKS);
    }

    /** The task's values of the WRITABLE fields, as typed parameters (a null is a null of the column's type). */
    private static List<Object> writableValues(TasksRecord task) {
        List<Object> values = new ArrayList<>(WRITABLE.size() + 2);
        for (Field<?> field : WRITABLE) {
            values.add(typedValue(task, field));
        }
        return values;
    }

    private static <T> Object typedValue(TasksRecord task, Field<T> field) {
        return DSL.val(task.get(field), field);
    }

    /**
     * Deletes the task and its subtree (the foreign key cascades), leaving tombstones for all of them and stamping
     * what counted them: the task's parent, its list, the subtree's tags.
     */
    boolean delete(String userId, TasksRecord task) {
        List<TasksRecord> rows = db.selectFrom(TASKS).where(TaskTree.subtree(userId, task.getListId(), task.getSortPath()))
                .orderBy(TASKS.SORT_PATH).fetch();
        List<UUID> ids = rows.stream().map(TasksRecord::getId).toList();
        var links = db.selectFrom(TASK_TAGS).where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TASK_ID.in(ids)).fetch();
        changes.trash(userId, dev.todoapi.sync.ChangeLog.Kind.TASK, task.getId(), task.getTitle(), rows, links, null);
        changes.touchTags(userId, links.getValues(TASK_TAGS.TAG_ID));
        if (task.getParentId() != null) {
            changes.touchTasks(userId, List.of(task.getParentId()));
        }
        changes.touchLists(userId, List.of(task.getListId()));
        changes.deleted(userId, dev.todoapi.sync.ChangeLog.Kind.TASK, ids);
        return db.deleteFrom(TASKS).where(TASKS.USER_ID.eq(userId), TASKS.ID.eq(task.getId())).execute() == 1;
    }

    /** One page of the user's tasks matching the query; fetches one extra row to know whether more follow. */
    List<TaskView> page(String userId, TaskQuery query) {
        List<Condition> where = new ArrayList<>();
        where.add(TASKS.USER_ID.eq(userId));
        where.addAll(filters(userId, query));
        if (query.after() != null) {
            where.add(query.sort().after(query.after()));
        }
        return withTagsByIds(userId, rendered.of(query.shape(), withTagIds(userId)
                        .where(where)
                        .orderBy(query.sort().orderBy())
                        .limit(query.limit() + 1))
                .fetch());
    }

    /** These tasks (those the user has), with tags and counts. */
    List<TaskView> byIds(String userId, java.util.Collection<UUID> taskIds) {
        return withTagsByIds(userId, withTagIds(userId).where(TASKS.USER_ID.eq(userId), TASKS.ID.in(taskIds)).fetch());
    }

    /** Puts back rows of a trashed subtree or list as they are given (ids, versions, paths), stamped with this change. */
    void insertExact(String userId, List<TasksRecord> rows, List<dev.todoapi.db.jooq.tables.records.TaskTagsRecord> links) {
        long seq = changes.seq(userId);
        changes.countsMayChange(userId);
        for (TasksRecord row : rows) {
            row.setChangeSeq(seq);
            db.insertInto(TASKS).set(row).execute();
        }
        if (!links.isEmpty()) {
            // Only the tags that still exist.
            java.util.Set<UUID> tags = new java.util.HashSet<>(db.select(TAGS.ID).from(TAGS).where(TAGS.USER_ID.eq(userId),
                    TAGS.ID.in(links.stream().map(dev.todoapi.db.jooq.tables.records.TaskTagsRecord::getTagId).toList())).fetch(TAGS.ID));
            var insert = db.insertInto(TASK_TAGS, TASK_TAGS.USER_ID, TASK_TAGS.TASK_ID, TASK_TAGS.TAG_ID);
            boolean any = false;
            for (var link : links) {
                if (tags.contains(link.getTagId())) {
                    insert = insert.values(userId, link.getTaskId(), link.getTagId());
                    any = true;
                }
            }
            if (any) {
                insert.execute();
            }
        }
    }

    /** Every task of the user with this status, newest first (the compatibility list). */
    List<TaskView> all(String userId, TaskQuery.Status status) {
        return withTagsByIds(userId, rendered.of("task.all." + status, withTagIds(userId)
                        .where(TASKS.USER_ID.eq(userId), status.condition())
                        .orderBy(TaskSort.CREATED_DESC.orderBy()))
                .fetch());
    }

    /** The siblings of a place: the tasks of this list under this parent (top level when null). */
    private static Condition siblings(String userId, UUID listId, @Nullable UUID parentId) {
        return TASKS.USER_ID.eq(userId).and(TASKS.LIST_ID.eq(listId))
                .and(parentId == null ? TASKS.PARENT_ID.isNull() : TASKS.PARENT_ID.eq(parentId));
    }

    /** The smallest sibling position above {@code above} (the first one when null), leaving out one task. */
    @Nullable String positionAfter(String userId, UUID listId, @Nullable UUID parentId, @Nullable String above,
            @Nullable UUID leftOut) {
        // ORDER BY parent_id, position (the unique key's order) rather than min(position): with "parent_id IS NULL",
        // not an equality to PostgreSQL, min() read every top-level task of the list (6.7 ms of a create in a
        // 10,000-task Inbox, bench/results/2026-12-03-sync.md); this reads one index entry.
        return db.select(TASKS.POSITION).from(TASKS)
                .where(siblings(userId, listId, parentId))
                .and(above == null ? DSL.noCondition() : TASKS.POSITION.gt(above))
                .and(leftOut == null ? DSL.noCondition() : TASKS.ID.ne(leftOut))
                .orderBy(TASKS.PARENT_ID, TASKS.POSITION)
                .limit(1)
                .fetchOne(TASKS.POSITION);
    }

    /** The largest sibling position below {@code below} (the last one when null), leaving out one task. */
    @Nullable String positionBefore(String userId, UUID listId, @Nullable UUID parentId, @Nullable String below,
            @Nullable UUID leftOut) {
        return db.select(TASKS.POSITION).from(TASKS)
                .where(siblings(userId, listId, parentId))
                .and(below == null ? DSL.noCondition() : TASKS.POSITION.lt(below))
                .and(leftOut == null ? DSL.noCondition() : TASKS.ID.ne(leftOut))
                .orderBy(TASKS.PARENT_ID.desc(), TASKS.POSITION.desc())
                .limit(1)
                .fetchOne(TASKS.POSITION);
    }

    /**
     * Row-locks a task without reading the rest of it (the parent of siblings being placed); its sort path, or empty
     * when there is no such task.
     */
    Optional<String> lockRow(String userId, UUID taskId) {
        return db.select(TASKS.SORT_PATH).from(TASKS).where(TASKS.USER_ID.eq(userId), TASKS.ID.eq(taskId)).forUpdate()
                .fetchOptional(TASKS.SORT_PATH);
    }

    /**
     * Row-locks these tasks (those that exist) and the subtree below {@code subtreeOf}, in id order, and returns where
     * the named ones are now (id, list, parent, position, sort path): writers that lock the tasks they touch this way
     * wait for each other instead of deadlocking.
     */
    Map<UUID, TasksRecord> lockInOrder(String userId, java.util.Collection<UUID> taskIds, @Nullable TasksRecord subtreeOf) {
        Condition subtree = subtreeOf == null ? DSL.noCondition()
                : TaskTree.subtree(userId, subtreeOf.getListId(), subtreeOf.getSortPath());
        Map<UUID, TasksRecord> named = new HashMap<>();
        for (TasksRecord row : db.select(TASKS.ID, TASKS.LIST_ID, TASKS.PARENT_ID, TASKS.POSITION, TASKS.SORT_PATH).from(TASKS)
                .where(TASKS.USER_ID.eq(userId))
                .and(subtreeOf == null ? TASKS.ID.in(taskIds) : TASKS.ID.in(taskIds).or(subtree))
                .orderBy(TASKS.ID)
                .forUpdate()
                .fetchInto(TASKS)) {
            if (taskIds.contains(row.getId())) {
                named.put(row.getId(), row);
            }
        }
        return named;
    }

    /**
     * Siblings of a place next to a gap, row-locked without waiting: those whose position is below {@code high}
     * (all of them when null), nearest first ({@code below}), or at or above {@code high} otherwise; at most
     * {@code limit}. Rows another transaction holds are skipped (the caller compares counts).
     */
    List<TasksRecord> siblingsNear(String userId, UUID listId, @Nullable UUID parentId, @Nullable String high,
            boolean below, int limit) {
        Condition side = high == null ? (below ? DSL.noCondition() : DSL.falseCondition())
                : below ? TASKS.POSITION.lt(high) : TASKS.POSITION.ge(high);
        return db.selectFrom(TASKS)
                .where(siblings(userId, listId, parentId)).and(side)
                .orderBy(below ? List.of(TASKS.PARENT_ID.desc(), TASKS.POSITION.desc()) : List.of(TASKS.PARENT_ID.asc(), TASKS.POSITION.asc()))
                .limit(limit)
                .fetch();
    }

    /** How many tasks have a sort path in [from, to) in the list. */
    int countPaths(String userId, UUID listId, String from, String to) {
        return db.fetchCount(TASKS, TaskTree.pathRange(userId, listId, from, to));
    }

    /** Row-locks the tasks with a sort path in [from, to) that no other transaction holds; how many it locked. */
    int lockPathsWithoutWaiting(String userId, UUID listId, String from, String to) {
        return db.select(TASKS.ID).from(TASKS)
                .where(TaskTree.pathRange(userId, listId, from, to))
                .forUpdate().skipLocked()
                .fetch().size();
    }

    /**
     * Whether the task {@code parentId} names, or one of its ancestors up to {@code levels} levels, is completed: a
     * scalar subquery per level, each pinned to the user (null when there is no such task).
     */
    private static Field<Boolean> completedAbove(Field<String> user, Field<UUID> parentId, int levels) {
        var ancestor = TASKS.as("ancestor" + levels);
        Condition completed = ancestor.COMPLETED.isTrue();
        if (levels > 1) {
            completed = completed.or(DSL.coalesce(completedAbove(user, ancestor.PARENT_ID, levels - 1), DSL.inline(false)).isTrue());
        }
        return DSL.field(DSL.select(DSL.field(completed)).from(ancestor)
                .where(ancestor.USER_ID.eq(user), ancestor.ID.eq(parentId)));
    }

    /** Where these tasks are (id, list, parent, position, sort path), without their tags or counts. */
    List<TasksRecord> placesOf(String userId, java.util.Collection<UUID> taskIds) {
        return db.select(TASKS.ID, TASKS.LIST_ID, TASKS.PARENT_ID, TASKS.POSITION, TASKS.SORT_PATH).from(TASKS)
                .where(TASKS.USER_ID.eq(userId), TASKS.ID.in(taskIds))
                .fetchInto(TASKS);
    }

    /** Moves a task with its subtree (see {@link TaskTree#moveSubtree}). */
    TasksRecord moveSubtree(String userId, TasksRecord task, UUID toList, @Nullable UUID parentId, String position,
            @Nullable String parentPath) {
        return TaskTree.moveSubtree(db, changes, userId, task, toList, parentId, position, parentPath);
    }

    /** Levels below the task (0 without subtasks), from the depths of its subtree's paths. */
    int levelsBelow(String userId, TasksRecord task) {
        String path = task.getSortPath();
        Field<Integer> depth = DSL.charLength(TASKS.SORT_PATH)
                .minus(DSL.charLength(DSL.replace(TASKS.SORT_PATH, DSL.inline(String.valueOf(TaskTree.SEPARATOR)), DSL.inline(""))));
        Integer deepest = db.select(DSL.max(depth))
                .from(TASKS)
                .where(TaskTree.subtree(userId, task.getListId(), path))
                .fetchOne(0, Integer.class);
        return deepest == null ? 0 : deepest - TaskTree.depth(path);
    }

    /**
     * A page of a list in display order: its tasks sorted by sort path, after the cursor's path, with their tags and
     * subtask counts, in one statement. Pending: open tasks none of whose ancestors (at most 3) is completed.
     */
    List<TaskView> displayPage(String userId, UUID listId, TaskQuery.Status status, @Nullable String afterPath, int limit) {
        Field<String> user = DSL.val(userId);
        Field<Result<TagsRecord>> tags = tagsOfTask(user);
        List<Condition> where = new ArrayList<>();
        where.add(TASKS.USER_ID.eq(user));
        where.add(TASKS.LIST_ID.eq(listId));
        if (afterPath != null) {
            where.add(TASKS.SORT_PATH.gt(afterPath));
        }
        where.add(status.condition());
        if (status == TaskQuery.Status.PENDING) {
            // Leave out tasks under a completed one: a scalar subquery per ancestor level (at most 3), run only for the
            // open tasks the index walk yields, so the plan stays an ordered walk that stops at the page's end
            // whatever the planner believes about the list's size (joins here were planned as a hash join and sort).
            where.add(TASKS.PARENT_ID.isNull().or(DSL.coalesce(completedAbove(user, TASKS.PARENT_ID, Tasks.MAX_DEPTH - 1),
                    DSL.inline(false)).isFalse()));
        }
        String shape = "task.display." + status + (afterPath == null ? ".first" : ".next");
        return rendered.of(shape, db.select(TASKS.fields())
                        .select(tags, subtaskCount(user, false), subtaskCount(user, true))
                        .from(TASKS)
                        .where(where)
                        .orderBy(TASKS.SORT_PATH)
                        .limit(limit + 1))
                .fetch(row -> new TaskView(row.into(TASKS), row.get(tags), null,
                        (Integer) row.get(SUBTASKS_AT), (Integer) row.get(OPEN_SUBTASKS_AT)));
    }

    /** The parent of a task (null for a top-level one). */
    @Nullable UUID parentOf(String userId, UUID taskId) {
        return db.select(TASKS.PARENT_ID).from(TASKS).where(TASKS.USER_ID.eq(userId), TASKS.ID.eq(taskId))
                .fetchOne(TASKS.PARENT_ID);
    }

    int subtaskCount(String userId, UUID parentId) {
        return db.fetchCount(TASKS, TASKS.USER_ID.eq(userId).and(TASKS.PARENT_ID.eq(parentId)));
    }

    /** The direct subtasks of these tasks, by parent, in their manual order. */
    List<TasksRecord> childrenOf(String userId, java.util.Collection<UUID> parentIds) {
        return db.selectFrom(TASKS)
                .where(TASKS.USER_ID.eq(userId), TASKS.PARENT_ID.in(parentIds))
                .orderBy(TASKS.PARENT_ID, TASKS.POSITION)
                .fetch();
    }

    /** Completes every open task below this one (the whole subtree); returns how many. */
    int completeSubtree(String userId, UUID taskId) {
        return db.withRecursive(below(userId, taskId))
                .update(TASKS)
                .set(TASKS.COMPLETED, true)
                .set(TASKS.COMPLETED_AT, DSL.currentOffsetDateTime())
                .set(TASKS.VERSION, TASKS.VERSION.plus(1))
                .set(TASKS.UPDATED_AT, DSL.currentOffsetDateTime())
                .set(TASKS.CHANGE_SEQ, changes.seq(userId))
                .where(TASKS.USER_ID.eq(userId), TASKS.COMPLETED.isFalse(),
                        TASKS.ID.in(DSL.select(BELOW_ID).from(DSL.table(DSL.name("below")))))
                .execute();
    }

    private static final Field<UUID> BELOW_ID = DSL.field(DSL.name("below", "id"), UUID.class);

    /** {@code below(id)}: the ids of every task under this one, as a recursive CTE pinned to the user. */
    private static org.jooq.CommonTableExpression<?> below(String userId, UUID taskId) {
        var child = TASKS.as("child");
        return DSL.name("below").fields("id").as(
                DSL.select(TASKS.ID).from(TASKS).where(TASKS.USER_ID.eq(userId), TASKS.PARENT_ID.eq(taskId))
                        .unionAll(DSL.select(child.ID).from(child)
                                .join(DSL.table(DSL.name("below"))).on(child.PARENT_ID.eq(BELOW_ID))
                                .where(child.USER_ID.eq(userId))));
    }

    private SelectJoinStep<Record> withTags() {
        return db.select(TASKS.fields()).select(TAGS_OF_TASK, subtaskCount(USER_PARAM, false), subtaskCount(USER_PARAM, true))
                .from(TASKS);
    }

    private SelectJoinStep<Record> withTagIds(String userId) {
        Field<String> user = DSL.val(userId);
        return db.select(TASKS.fields()).select(tagIds(userId), subtaskCount(user, false), subtaskCount(user, true)).from(TASKS);
    }

    /**
     * Tasks with their tags looked up by id in one query. Two statements without a transaction: a tag
     * deleted in between is left out, a tag renamed in between shows its new name, as a read a moment
     * later would.
     */
    private List<TaskView> withTagsByIds(String userId, List<Record> rows) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (Record row : rows) {
            UUID[] tagIds = (UUID[]) row.get(TAGS_AT);
            if (tagIds != null) {
                ids.addAll(List.of(tagIds));
            }
        }
        Map<UUID, TagsRecord> tags = new HashMap<>();
        if (!ids.isEmpty()) {
            for (Record tag : tagsByIds.bind(userId, ids.toArray(UUID[]::new)).fetch()) {
                TagsRecord record = tag.into(TAGS);
                tags.put(record.getId(), record);
            }
        }
        List<TaskView> views = new ArrayList<>(rows.size());
        for (Record row : rows) {
            UUID[] tagIds = (UUID[]) row.get(TAGS_AT);
            List<TagsRecord> taskTags = new ArrayList<>(tagIds == null ? 0 : tagIds.length);
            if (tagIds != null) {
                for (UUID id : tagIds) {
                    TagsRecord tag = tags.get(id);
                    if (tag != null) {
                        taskTags.add(tag);
                    }
                }
                taskTags.sort(TagNames.ORDER);
            }
            views.add(new TaskView(row.into(TASKS), taskTags, null, (Integer) row.get(SUBTASKS_AT),
                    (Integer) row.get(OPEN_SUBTASKS_AT)));
        }
        return views;
    }

    private static TaskView toView(Record row) {
        return new TaskView(row.into(TASKS), row.get(TAGS_OF_TASK), null, (Integer) row.get(SUBTASKS_AT),
                (Integer) row.get(OPEN_SUBTASKS_AT));
    }

    private static List<Condition> filters(String userId, TaskQuery query) {
        List<Condition> filters = new ArrayList<>();
        filters.add(query.status().condition());
        if (query.listId() != null) {
            filters.add(TASKS.LIST_ID.eq(query.listId()));
        }
        if (query.parentId() != null) {
            filters.add(TASKS.PARENT_ID.eq(query.parentId()));
        }
        if (query.priority() != null) {
            filters.add(TASKS.PRIORITY.eq(query.priority()));
        }
        if (query.tag() != null) {
            filters.add(DSL.exists(DSL.selectOne()
                    .from(TASK_TAGS)
                    .join(TAGS).on(TAGS.USER_ID.eq(userId), TAGS.ID.eq(TASK_TAGS.TAG_ID))
                    .where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TASK_ID.eq(TASKS.ID))
                    .and(DSL.lower(TAGS.NAME).eq(DSL.lower(DSL.val(query.tag()))))));
        }
        if (query.dueBefore() != null) {
            filters.add(TASKS.DUE_DATE.lt(query.dueBefore()));
        }
        if (query.dueAfter() != null) {
            filters.add(TASKS.DUE_DATE.ge(query.dueAfter()));
        }
        if (query.text() != null) {
            filters.add(TASKS.TITLE.containsIgnoreCase(query.text()).or(TASKS.DESCRIPTION.containsIgnoreCase(query.text())));
        }
        if (query.updatedSince() != null) {
            filters.add(TASKS.UPDATED_AT.ge(query.updatedSince()));
        }
        return filters;
    }
}
