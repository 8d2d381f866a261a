package dev.todoapi.tag;

import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;

import dev.todoapi.database.RenderedSql;
import dev.todoapi.db.jooq.tables.records.TagsRecord;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Repository;

/** Tags, always within one user's data. */
@Repository
public class TagRepository {

    /** A tag with the number of its tasks that are not completed. */
    public record TagWithCount(TagsRecord tag, int openTaskCount) {}

    private static final Field<Integer> OPEN_TASKS =
            DSL.count(TASKS.ID).filterWhere(TASKS.COMPLETED.isFalse()).as("open_task_count");

    private final DSLContext db;
    private final RenderedSql.Prepared byLowerNames;

    private final dev.todoapi.sync.ChangeLog changes;

    TagRepository(DSLContext db, RenderedSql rendered, dev.todoapi.sync.ChangeLog changes) {
        this.changes = changes;
        this.db = db;
        this.byLowerNames = rendered.prepare(db.selectFrom(TAGS).where(
                TAGS.USER_ID.eq(DSL.param("user_id", String.class)),
                DSL.lower(TAGS.NAME).eq(DSL.any(DSL.param("names", SQLDataType.VARCHAR.array())))), 2);
    }

    List<TagWithCount> listWithCounts(String userId) {
        return withCounts(userId, DSL.noCondition()).fetch(this::toTagWithCount);
    }

    List<TagWithCount> byIds(String userId, Collection<UUID> tagIds) {
        return withCounts(userId, TAGS.ID.in(tagIds)).fetch(this::toTagWithCount);
    }

    Optional<TagWithCount> findWithCount(String userId, UUID tagId) {
        return withCounts(userId, TAGS.ID.eq(tagId)).fetchOptional(this::toTagWithCount);
    }

    private org.jooq.SelectSeekStep1<Record, String> withCounts(String userId, org.jooq.Condition condition) {
        return db.select(TAGS.fields()).select(OPEN_TASKS)
                .from(TAGS)
                // Every table pinned to the user by a bind value (one shard on Citus), not only joined on user_id.
                .leftJoin(TASK_TAGS).on(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TAG_ID.eq(TAGS.ID))
                .leftJoin(TASKS).on(TASKS.USER_ID.eq(userId), TASKS.ID.eq(TASK_TAGS.TASK_ID))
                .where(TAGS.USER_ID.eq(userId), condition)
                .groupBy(TAGS.USER_ID, TAGS.ID)
                .orderBy(DSL.lower(TAGS.NAME));
    }

    private TagWithCount toTagWithCount(Record record) {
        return new TagWithCount(record.into(TAGS), record.get(OPEN_TASKS));
    }

    /** Throws Spring's DuplicateKeyException when the user has a tag of that name (any case). */
    TagsRecord insert(String userId, String name, @Nullable String color) {
        return db.insertInto(TAGS)
                .set(TAGS.USER_ID, userId)
                .set(TAGS.NAME, name)
                .set(TAGS.COLOR, color)
                .set(TAGS.CHANGE_SEQ, changes.seq(userId))
                .returning()
                .fetchSingle();
    }

    Optional<TagsRecord> lock(String userId, UUID tagId) {
        return db.selectFrom(TAGS).where(TAGS.USER_ID.eq(userId), TAGS.ID.eq(tagId)).forUpdate().fetchOptional();
    }

    void update(TagsRecord tag) {
        db.update(TAGS)
                .set(TAGS.NAME, tag.getName())
                .set(TAGS.COLOR, tag.getColor())
                .set(TAGS.UPDATED_AT, OffsetDateTime.now())
                .set(TAGS.CHANGE_SEQ, changes.seq(tag.getUserId()))
                .where(TAGS.USER_ID.eq(tag.getUserId()), TAGS.ID.eq(tag.getId()))
                .execute();
    }

    boolean delete(String userId, UUID tagId) {
        changes.deleted(userId, dev.todoapi.sync.ChangeLog.Kind.TAG, List.of(tagId));
        return db.deleteFrom(TAGS).where(TAGS.USER_ID.eq(userId), TAGS.ID.eq(tagId)).execute() == 1;
    }

    /** The tasks carrying a tag change too (their representation embeds it): bump their version. */
    void touchTasksOf(String userId, UUID tagId) {
        db.update(TASKS)
                .set(TASKS.VERSION, TASKS.VERSION.plus(1))
                .set(TASKS.UPDATED_AT, OffsetDateTime.now())
                .set(TASKS.CHANGE_SEQ, changes.seq(userId))
                .where(TASKS.USER_ID.eq(userId))
                .and(TASKS.ID.in(DSL.select(TASK_TAGS.TASK_ID).from(TASK_TAGS)
                        .where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TAG_ID.eq(tagId))))
                .execute();
    }

    /**
     * The user's tags of these names (matched case-insensitively), creating the missing ones, in the
     * order given, without duplicates.
     */
    public List<TagsRecord> resolve(String userId, Collection<String> names) {
        Map<String, String> byLowerName = new LinkedHashMap<>();
        for (String name : names) {
            byLowerName.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
        if (byLowerName.isEmpty()) {
            return List.of();
        }
        Map<String, TagsRecord> found = findByLowerNames(userId, byLowerName.keySet());
        List<String> missing = byLowerName.entrySet().stream()
                .filter(e -> !found.containsKey(e.getKey())).map(Map.Entry::getValue).toList();
        if (!missing.isEmpty()) {
            var insert = db.insertInto(TAGS, TAGS.USER_ID, TAGS.NAME, TAGS.CHANGE_SEQ);
            long seq = changes.seq(userId);
            for (String name : missing) {
                insert = insert.values(userId, name, seq);
            }
            // A concurrent request may create the same tag: keep whichever won, then read it back.
            insert.onConflictDoNothing().execute();
            found.putAll(findByLowerNames(userId, missing.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList()));
        }
        List<TagsRecord> tags = new ArrayList<>(byLowerName.size());
        for (String lower : byLowerName.keySet()) {
            tags.add(found.get(lower));
        }
        return tags;
    }

    private Map<String, TagsRecord> findByLowerNames(String userId, Collection<String> lowerNames) {
        Map<String, TagsRecord> found = new HashMap<>();
        for (Record row : byLowerNames.bind(userId, lowerNames.toArray(String[]::new)).fetch()) {
            TagsRecord tag = row.into(TAGS);
            found.put(tag.getName().toLowerCase(Locale.ROOT), tag);
        }
        return found;
    }

    /** Makes these the task's tags. */
    public void setTagsOfTask(String userId, UUID taskId, List<TagsRecord> tags) {
        // The tags it loses count one open task less (those it keeps or gains are stamped with the task).
        changes.touchTags(userId, db.deleteFrom(TASK_TAGS).where(TASK_TAGS.USER_ID.eq(userId), TASK_TAGS.TASK_ID.eq(taskId))
                .returning(TASK_TAGS.TAG_ID).fetch(TASK_TAGS.TAG_ID));
        tagNewTask(userId, taskId, tags);
    }

    /** Gives a task created in this transaction its tags (it has none yet, so nothing to delete). */
    public void tagNewTask(String userId, UUID taskId, List<TagsRecord> tags) {
        if (tags.isEmpty()) {
            return;
        }
        changes.countsMayChange(userId); // the tags count one more task
        var insert = db.insertInto(TASK_TAGS, TASK_TAGS.USER_ID, TASK_TAGS.TASK_ID, TASK_TAGS.TAG_ID);
        for (TagsRecord tag : tags) {
            insert = insert.values(userId, taskId, tag.getId());
        }
        insert.execute();
    }
}
