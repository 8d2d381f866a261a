package dev.todoapi.list;

import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;

import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.task.TaskTree;

import dev.todoapi.db.jooq.tables.records.ListsRecord;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

/** Task lists, always within one user's data: every table of every statement pinned to the user. */
@Repository
class ListRepository {

    /** A list with the number of its tasks, and of those not completed. */
    record ListWithCounts(ListsRecord list, int taskCount, int openTaskCount) {}

    private static final Field<Integer> TASK_COUNT = DSL.count(TASKS.ID).as("task_count");
    private static final Field<Integer> OPEN_TASK_COUNT =
            DSL.count(TASKS.ID).filterWhere(TASKS.COMPLETED.isFalse()).as("open_task_count");

    private final DSLContext db;

    private final dev.todoapi.sync.ChangeLog changes;

    ListRepository(DSLContext db, dev.todoapi.sync.ChangeLog changes) {
        this.db = db;
        this.changes = changes;
    }

    /** The user's lists in manual order, with their counts (one statement). */
    List<ListWithCounts> all(String userId) {
        return withCounts(userId, DSL.noCondition()).fetch(ListRepository::toListWithCounts);
    }

    List<ListWithCounts> byIds(String userId, java.util.Collection<UUID> listIds) {
        return withCounts(userId, LISTS.ID.in(listIds)).fetch(ListRepository::toListWithCounts);
    }

    Optional<ListWithCounts> find(String userId, UUID listId) {
        return withCounts(userId, LISTS.ID.eq(listId)).fetchOptional(ListRepository::toListWithCounts);
    }

    private org.jooq.SelectSeekStep1<Record, String> withCounts(String userId, Condition condition) {
        return db.select(LISTS.fields()).select(TASK_COUNT, OPEN_TASK_COUNT)
                .from(LISTS)
                .leftJoin(TASKS).on(TASKS.USER_ID.eq(userId), TASKS.LIST_ID.eq(LISTS.ID))
                .where(LISTS.USER_ID.eq(userId), condition)
                .groupBy(LISTS.USER_ID, LISTS.ID)
                .orderBy(LISTS.POSITION);
    }

    private static ListWithCounts toListWithCounts(Record row) {
        return new ListWithCounts(row.into(LISTS), row.get(TASK_COUNT), row.get(OPEN_TASK_COUNT));
    }

    /** The list, row-locked until the transaction ends. */
    Optional<ListsRecord> lock(String userId, UUID listId) {
        return db.selectFrom(LISTS).where(LISTS.USER_ID.eq(userId), LISTS.ID.eq(listId)).forUpdate().fetchOptional();
    }

    /** The user's default list, row-locked: serializes the creates of one user (each takes the last position). */
    Optional<ListsRecord> lockDefault(String userId) {
        return db.selectFrom(LISTS).where(LISTS.USER_ID.eq(userId), LISTS.IS_DEFAULT.isTrue()).forUpdate().fetchOptional();
    }

    int count(String userId) {
        return db.fetchCount(LISTS, LISTS.USER_ID.eq(userId));
    }

    /** The last position of the user's lists, or null when there are none. */
    @Nullable String lastPosition(String userId) {
        return db.select(DSL.max(LISTS.POSITION)).from(LISTS).where(LISTS.USER_ID.eq(userId)).fetchOne(0, String.class);
    }

    /** Throws Spring's DuplicateKeyException when the position is taken (a concurrent create in the same gap). */
    ListsRecord insert(String userId, String name, @Nullable String color, String position, boolean isDefault) {
        return db.insertInto(LISTS)
                .set(LISTS.USER_ID, userId)
                .set(LISTS.NAME, name)
                .set(LISTS.COLOR, color)
                .set(LISTS.POSITION, position)
                .set(LISTS.IS_DEFAULT, isDefault)
                .set(LISTS.CHANGE_SEQ, changes.seq(userId))
                .returning()
                .fetchSingle();
    }

    void update(ListsRecord list) {
        db.update(LISTS)
                .set(LISTS.NAME, list.getName())
                .set(LISTS.COLOR, list.getColor())
                .set(LISTS.VERSION, LISTS.VERSION.plus(1))
                .set(LISTS.UPDATED_AT, OffsetDateTime.now())
                .set(LISTS.CHANGE_SEQ, changes.seq(list.getUserId()))
                .where(LISTS.USER_ID.eq(list.getUserId()), LISTS.ID.eq(list.getId()))
                .execute();
    }

    /** The smallest position above {@code above} (or the first one, when null), leaving out one list. */
    @Nullable String positionAfter(String userId, @Nullable String above, UUID leftOut) {
        return db.select(DSL.min(LISTS.POSITION)).from(LISTS)
                .where(LISTS.USER_ID.eq(userId), LISTS.ID.ne(leftOut), above == null ? DSL.noCondition() : LISTS.POSITION.gt(above))
                .fetchOne(0, String.class);
    }

    /** The largest position below {@code below}, leaving out one list. */
    @Nullable String positionBefore(String userId, String below, UUID leftOut) {
        return db.select(DSL.max(LISTS.POSITION)).from(LISTS)
                .where(LISTS.USER_ID.eq(userId), LISTS.ID.ne(leftOut), LISTS.POSITION.lt(below))
                .fetchOne(0, String.class);
    }

    void updatePosition(String userId, UUID listId, String position) {
        db.update(LISTS)
                .set(LISTS.POSITION, position)
                .set(LISTS.VERSION, LISTS.VERSION.plus(1))
                .set(LISTS.UPDATED_AT, OffsetDateTime.now())
                .set(LISTS.CHANGE_SEQ, changes.seq(userId))
                .where(LISTS.USER_ID.eq(userId), LISTS.ID.eq(listId))
                .execute();
    }

    /** The list's top-level tasks, in their manual order. */
    List<TasksRecord> topLevelTasks(String userId, UUID listId) {
        return db.selectFrom(TASKS)
                .where(TASKS.USER_ID.eq(userId), TASKS.LIST_ID.eq(listId), TASKS.PARENT_ID.isNull())
                .orderBy(TASKS.POSITION)
                .fetch();
    }

    boolean exists(String userId, UUID listId) {
        return db.fetchExists(LISTS, LISTS.USER_ID.eq(userId), LISTS.ID.eq(listId));
    }

    /** The last position among the list's top-level tasks, or null when it has none. */
    @Nullable String lastTopLevelPosition(String userId, UUID listId) {
        return db.select(TASKS.POSITION).from(TASKS)
                .where(TASKS.USER_ID.eq(userId), TASKS.LIST_ID.eq(listId), TASKS.PARENT_ID.isNull())
                .orderBy(TASKS.PARENT_ID.desc(), TASKS.POSITION.desc()) // the unique key's order, backwards: one entry
                .limit(1)
                .fetchOne(TASKS.POSITION);
    }

    /** Puts a top-level task, with its subtree, into a list at a position. */
    void placeTask(String userId, TasksRecord task, UUID listId, String position) {
        TaskTree.moveSubtree(db, changes, userId, task, listId, null, position, null);
    }

    /** Puts a trashed list back with its id, last in the order, stamped with this change. */
    ListsRecord insertExact(ListsRecord list) {
        list.setChangeSeq(changes.seq(list.getUserId()));
        db.insertInto(LISTS).set(list).execute();
        return list;
    }

    /** Deletes the list; its tasks (and their tags' links) cascade. Tombstones for all; their tags are stamped. */
    void delete(ListsRecord list) {
        String userId = list.getUserId();
        UUID listId = list.getId();
        List<TasksRecord> rows = db.selectFrom(TASKS).where(TASKS.USER_ID.eq(userId), TASKS.LIST_ID.eq(listId))
                .orderBy(TASKS.SORT_PATH).fetch();
        List<UUID> taskIds = rows.stream().map(TasksRecord::getId).toList();
        List<dev.todoapi.db.jooq.tables.records.TaskTagsRecord> links = taskIds.isEmpty() ? List.of()
                : db.selectFrom(TASK_TAGS).where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TASK_ID.in(taskIds)).fetch();
        changes.trash(userId, dev.todoapi.sync.ChangeLog.Kind.LIST, listId, list.getName(), rows, links, list);
        changes.touchTags(userId, links.stream().map(dev.todoapi.db.jooq.tables.records.TaskTagsRecord::getTagId).toList());
        changes.deleted(userId, dev.todoapi.sync.ChangeLog.Kind.TASK, taskIds);
        changes.deleted(userId, dev.todoapi.sync.ChangeLog.Kind.LIST, List.of(listId));
        db.deleteFrom(LISTS).where(LISTS.USER_ID.eq(userId), LISTS.ID.eq(listId)).execute();
    }
}
