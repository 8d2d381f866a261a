package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;

import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.database.RenderedSql;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
import org.springframework.stereotype.Repository;

/** Tasks, always within one user's data: every statement is scoped by user_id. */
@Repository
class TaskRepository {

    /**
     * The tags of the task on the same row, by name, as a correlated MULTISET: a task comes with its
     * tags in one statement (one round trip, no transaction needed for a consistent read).
     */
    private static final Field<Result<TagsRecord>> TAGS_OF_TASK = DSL.multiset(
                    DSL.select(TAGS.ID, TAGS.NAME, TAGS.COLOR)
                            .from(TASK_TAGS)
                            .join(TAGS).on(TAGS.USER_ID.eq(TASK_TAGS.USER_ID), TAGS.ID.eq(TASK_TAGS.TAG_ID))
                            .where(TASK_TAGS.USER_ID.eq(TASKS.USER_ID), TASK_TAGS.TASK_ID.eq(TASKS.ID))
                            .orderBy(DSL.lower(TAGS.NAME)))
            .as("tags")
            .convertFrom(tags -> tags.into(TAGS));

    /**
     * On lists, only the ids of each task's tags (a correlated ARRAY), resolved with one query for the whole
     * page: PostgreSQL builds a page of 50 about 60 % faster than with a tag row per task (pgbench in
     * bench/results/2026-11-23-tuning.md).
     */
    private static final Field<UUID[]> TAG_IDS = DSL.array(DSL.select(TASK_TAGS.TAG_ID)
                    .from(TASK_TAGS)
                    .where(TASK_TAGS.USER_ID.eq(TASKS.USER_ID), TASK_TAGS.TASK_ID.eq(TASKS.ID)))
            .as("tag_ids");

    private static final Comparator<TagsRecord> BY_NAME =
            Comparator.comparing((TagsRecord tag) -> tag.getName().toLowerCase(Locale.ROOT));

    private final DSLContext db;
    private final RenderedSql rendered;
    private final RenderedSql.Prepared find;
    private final RenderedSql.Prepared lock;
    private final RenderedSql.Prepared tagsByIds;
    private final RenderedSql.Prepared insert;
    private final RenderedSql.Prepared update;

    TaskRepository(DSLContext db, RenderedSql rendered) {
        this.db = db;
        this.rendered = rendered;
        Condition byId = TASKS.USER_ID.eq(DSL.param("user_id", String.class)).and(TASKS.ID.eq(DSL.param("id", UUID.class)));
        this.find = rendered.prepare(withTags().where(byId), 2);
        this.lock = rendered.prepare(withTags().where(byId).forUpdate().of(TASKS), 2);
        this.tagsByIds = rendered.prepare(db.select(TAGS.ID, TAGS.NAME, TAGS.COLOR).from(TAGS).where(
                TAGS.USER_ID.eq(DSL.param("user_id", String.class)),
                TAGS.ID.eq(DSL.any(DSL.param("ids", SQLDataType.UUID.array())))), 2);
        this.insert = rendered.prepare(db.insertInto(TASKS)
                .set(TASKS.USER_ID, DSL.param("user_id", TASKS.USER_ID))
                .set(TASKS.TITLE, DSL.param("title", TASKS.TITLE))
                .set(TASKS.DESCRIPTION, DSL.param("description", TASKS.DESCRIPTION))
                .set(TASKS.PRIORITY, DSL.param("priority", TASKS.PRIORITY))
                .set(TASKS.DUE_DATE, DSL.param("due_date", TASKS.DUE_DATE))
                .set(TASKS.RECURRENCE_RULE, DSL.param("recurrence_rule", TASKS.RECURRENCE_RULE))
                .set(TASKS.COMPLETED, DSL.param("completed", TASKS.COMPLETED))
                .set(TASKS.COMPLETED_AT, DSL.param("completed_at", TASKS.COMPLETED_AT))
                .returning(), 8);
        this.update = rendered.prepare(db.update(TASKS)
                .set(TASKS.TITLE, DSL.param("title", TASKS.TITLE))
                .set(TASKS.DESCRIPTION, DSL.param("description", TASKS.DESCRIPTION))
                .set(TASKS.PRIORITY, DSL.param("priority", TASKS.PRIORITY))
                .set(TASKS.DUE_DATE, DSL.param("due_date", TASKS.DUE_DATE))
                .set(TASKS.RECURRENCE_RULE, DSL.param("recurrence_rule", TASKS.RECURRENCE_RULE))
                .set(TASKS.COMPLETED, DSL.param("completed", TASKS.COMPLETED))
                .set(TASKS.COMPLETED_AT, DSL.param("completed_at", TASKS.COMPLETED_AT))
                .set(TASKS.VERSION, TASKS.VERSION.plus(DSL.inline(1)))
                .set(TASKS.UPDATED_AT, DSL.currentOffsetDateTime())
                .where(byId)
                .returning(), 9);
    }

    Optional<TaskView> find(String userId, UUID taskId) {
        return find.bind(userId, taskId).fetchOptional(TaskRepository::toView);
    }

    /** The task, row-locked until the transaction ends, so concurrent updates apply one after another. */
    Optional<TaskView> lock(String userId, UUID taskId) {
        return lock.bind(userId, taskId).fetchOptional(TaskRepository::toView);
    }

    // Values are bound as typed parameters, so a null is a null of the column's type.
    TasksRecord insert(TasksRecord task) {
        return insert.bind(
                        DSL.val(task.getUserId(), TASKS.USER_ID),
                        DSL.val(task.getTitle(), TASKS.TITLE),
                        DSL.val(task.getDescription(), TASKS.DESCRIPTION),
                        DSL.val(task.getPriority(), TASKS.PRIORITY),
                        DSL.val(task.getDueDate(), TASKS.DUE_DATE),
                        DSL.val(task.getRecurrenceRule(), TASKS.RECURRENCE_RULE),
                        DSL.val(task.getCompleted() != null && task.getCompleted(), TASKS.COMPLETED),
                        DSL.val(task.getCompletedAt(), TASKS.COMPLETED_AT))
                .fetchSingle()
                .into(TASKS);
    }

    /** Writes the locked task's new field values and bumps its version. */
    TasksRecord update(TasksRecord task) {
        return update.bind(
                        DSL.val(task.getTitle(), TASKS.TITLE),
                        DSL.val(task.getDescription(), TASKS.DESCRIPTION),
                        DSL.val(task.getPriority(), TASKS.PRIORITY),
                        DSL.val(task.getDueDate(), TASKS.DUE_DATE),
                        DSL.val(task.getRecurrenceRule(), TASKS.RECURRENCE_RULE),
                        DSL.val(task.getCompleted(), TASKS.COMPLETED),
                        DSL.val(task.getCompletedAt(), TASKS.COMPLETED_AT),
                        DSL.val(task.getUserId(), TASKS.USER_ID),
                        DSL.val(task.getId(), TASKS.ID))
                .fetchSingle()
                .into(TASKS);
    }

    boolean delete(String userId, UUID taskId) {
        return db.deleteFrom(TASKS).where(TASKS.USER_ID.eq(userId), TASKS.ID.eq(taskId)).execute() == 1;
    }

    /** One page of the user's tasks matching the query; fetches one extra row to know whether more follow. */
    List<TaskView> page(String userId, TaskQuery query) {
        List<Condition> where = new ArrayList<>();
        where.add(TASKS.USER_ID.eq(userId));
        where.addAll(filters(userId, query));
        if (query.after() != null) {
            where.add(query.sort().after(query.after()));
        }
        return withTagsByIds(userId, rendered.of(query.shape(), withTagIds()
                        .where(where)
                        .orderBy(query.sort().orderBy())
                        .limit(query.limit() + 1))
                .fetch());
    }

    /** Every task of the user with this status, newest first (the compatibility list). */
    List<TaskView> all(String userId, TaskQuery.Status status) {
        return withTagsByIds(userId, rendered.of("task.all." + status, withTagIds()
                        .where(TASKS.USER_ID.eq(userId), status.condition())
                        .orderBy(TaskSort.CREATED_DESC.orderBy()))
                .fetch());
    }

    private SelectJoinStep<Record> withTags() {
        return db.select(TASKS.fields()).select(TAGS_OF_TASK).from(TASKS);
    }

    private SelectJoinStep<Record> withTagIds() {
        return db.select(TASKS.fields()).select(TAG_IDS).from(TASKS);
    }

    /**
     * Tasks with their tags looked up by id in one query. Two statements without a transaction: a tag
     * deleted in between is left out, a tag renamed in between shows its new name, as a read a moment
     * later would.
     */
    private List<TaskView> withTagsByIds(String userId, List<Record> rows) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (Record row : rows) {
            UUID[] tagIds = row.get(TAG_IDS);
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
            UUID[] tagIds = row.get(TAG_IDS);
            List<TagsRecord> taskTags = new ArrayList<>(tagIds == null ? 0 : tagIds.length);
            if (tagIds != null) {
                for (UUID id : tagIds) {
                    TagsRecord tag = tags.get(id);
                    if (tag != null) {
                        taskTags.add(tag);
                    }
                }
                taskTags.sort(BY_NAME);
            }
            views.add(new TaskView(row.into(TASKS), taskTags));
        }
        return views;
    }

    private static TaskView toView(Record row) {
        return new TaskView(row.into(TASKS), row.get(TAGS_OF_TASK));
    }

    private static List<Condition> filters(String userId, TaskQuery query) {
        List<Condition> filters = new ArrayList<>();
        filters.add(query.status().condition());
        if (query.priority() != null) {
            filters.add(TASKS.PRIORITY.eq(query.priority()));
        }
        if (query.tag() != null) {
            filters.add(DSL.exists(DSL.selectOne()
                    .from(TASK_TAGS)
                    .join(TAGS).on(TAGS.USER_ID.eq(TASK_TAGS.USER_ID), TAGS.ID.eq(TASK_TAGS.TAG_ID))
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
