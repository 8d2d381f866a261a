package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;
import static dev.todoapi.db.jooq.Tables.TOMBSTONES;
import static dev.todoapi.db.jooq.Tables.TRASH;

import dev.todoapi.api.model.RestoredItem;
import dev.todoapi.api.model.TrashItem;
import dev.todoapi.api.model.TrashPage;
import dev.todoapi.db.jooq.tables.records.ListsRecord;
import dev.todoapi.db.jooq.tables.records.TaskTagsRecord;
import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.db.jooq.tables.records.TrashRecord;
import dev.todoapi.list.Lists;
import dev.todoapi.task.Tasks;
import dev.todoapi.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;

/**
 * The trash: deleted tasks (with their subtrees) and lists (with their tasks), kept by {@link ChangeLog#trash} for the
 * sync window; listed newest first, restored with their ids (an upsert in the change feed), or purged.
 */
@Service
class Trash {

    private final DSLContext db;
    private final ChangeLog changes;
    private final Tasks tasks;
    private final Lists lists;

    Trash(DSLContext db, ChangeLog changes, Tasks tasks, Lists lists) {
        this.db = db;
        this.changes = changes;
        this.tasks = tasks;
        this.lists = lists;
    }

    /** Newest first; the cursor is the last item's (deleted_at, kind, id). */
    TrashPage page(String userId, int limit, @Nullable String cursor) {
        var query = db.selectFrom(TRASH).where(TRASH.USER_ID.eq(userId));
        if (cursor != null && !cursor.isEmpty()) {
            String[] at = decode(cursor);
            query = query.and(org.jooq.impl.DSL.row(TRASH.DELETED_AT, TRASH.KIND, TRASH.ID)
                    .lt(OffsetDateTime.parse(at[0]), at[1], UUID.fromString(at[2])));
        }
        List<TrashRecord> rows = query.orderBy(TRASH.DELETED_AT.desc(), TRASH.KIND.desc(), TRASH.ID.desc()).limit(limit + 1).fetch();
        boolean more = rows.size() > limit;
        List<TrashItem> items = new ArrayList<>();
        for (TrashRecord row : more ? rows.subList(0, limit) : rows) {
            items.add(new TrashItem(TrashItem.TypeEnum.fromValue(row.getKind()), row.getId(), row.getTitle(), row.getTaskCount(),
                    row.getDeletedAt()));
        }
        TrashPage page = new TrashPage(items);
        if (more) {
            TrashRecord last = rows.get(limit - 1);
            page.setNextCursor(Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (last.getDeletedAt() + "|" + last.getKind() + "|" + last.getId()).getBytes(StandardCharsets.UTF_8)));
        }
        return page;
    }

    private static String[] decode(String cursor) {
        try {
            String[] at = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", -1);
            OffsetDateTime.parse(at[0]);
            UUID.fromString(at[2]);
            ChangeLog.Kind.of(at[1]);
            return at;
        } catch (RuntimeException e) {
            throw ApiException.validation("cursor", "INVALID_CURSOR", "is not a cursor this API issued");
        }
    }

    @Transactional
    RestoredItem restore(String userId, String kind, UUID id) {
        changes.begin(userId);
        TrashRecord item = locked(userId, kind, id);
        JsonNode content = ChangeLog.JSON.readTree(item.getContent());
        List<TasksRecord> rows = new ArrayList<>();
        for (JsonNode task : content.path("tasks")) {
            TasksRecord row = db.newRecord(TASKS);
            row.fromMap(ChangeLog.JSON.convertValue(task, Map.class));
            rows.add(row);
        }
        List<TaskTagsRecord> links = new ArrayList<>();
        for (JsonNode link : content.path("task_tags")) {
            TaskTagsRecord row = db.newRecord(TASK_TAGS);
            row.fromMap(ChangeLog.JSON.convertValue(link, Map.class));
            links.add(row);
        }
        RestoredItem restored = new RestoredItem(RestoredItem.TypeEnum.fromValue(kind));
        if (kind.equals(ChangeLog.Kind.TASK.wire())) {
            restored.setTask(tasks.restoreSubtree(userId, id, rows, links));
        } else {
            ListsRecord list = db.newRecord(LISTS);
            list.fromMap(ChangeLog.JSON.convertValue(content.path("list"), Map.class));
            lists.restore(userId, list);
            tasks.restoreRows(userId, rows, links);
            restored.setList(lists.representations(userId, List.of(id)).get(id));
        }
        db.deleteFrom(TRASH).where(TRASH.USER_ID.eq(userId), TRASH.KIND.eq(kind), TRASH.ID.eq(id)).execute();
        List<UUID> taskIds = rows.stream().map(TasksRecord::getId).toList();
        db.deleteFrom(TOMBSTONES).where(TOMBSTONES.USER_ID.eq(userId), TOMBSTONES.KIND.eq(ChangeLog.Kind.TASK.wire()),
                TOMBSTONES.ID.in(taskIds)).execute();
        db.deleteFrom(TOMBSTONES).where(TOMBSTONES.USER_ID.eq(userId), TOMBSTONES.KIND.eq(ChangeLog.Kind.LIST.wire()),
                TOMBSTONES.ID.eq(id)).execute();
        return restored;
    }

    @Transactional
    void purge(String userId, String kind, UUID id) {
        changes.begin(userId);
        locked(userId, kind, id);
        db.deleteFrom(TRASH).where(TRASH.USER_ID.eq(userId), TRASH.KIND.eq(kind), TRASH.ID.eq(id)).execute();
    }

    private TrashRecord locked(String userId, String kind, UUID id) {
        return db.selectFrom(TRASH).where(TRASH.USER_ID.eq(userId), TRASH.KIND.eq(kind), TRASH.ID.eq(id)).forUpdate()
                .fetchOptional()
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "TRASH_ITEM_NOT_FOUND",
                        "There is no " + kind + " " + id + " in the trash."));
    }
}
