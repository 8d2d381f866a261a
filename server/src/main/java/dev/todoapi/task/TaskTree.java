package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TASKS;

import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.order.OrderKeys;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;

/**
 * Where a task sits in its list's tree, as its sort path: the positions of its ancestors and its own, joined by
 * {@code /}, a byte below every character of an order key. Sorted byte-wise, the paths of a list give its display
 * order (a task, its subtree depth-first, then its next sibling); the paths of a subtree are one range,
 * {@code [path, path + "0")}, so a subtree moves with one statement over one index range.
 */
public final class TaskTree {

    static final char SEPARATOR = '/';

    private TaskTree() {}

    /** The sort path of a task at this position under a parent with this path (null: at the top level). */
    static String path(@Nullable String parentPath, String position) {
        return parentPath == null ? position : parentPath + SEPARATOR + position;
    }

    /** The path of the task's parent, null for a top-level task. */
    static @Nullable String parentPath(String path) {
        int last = path.lastIndexOf(SEPARATOR);
        return last < 0 ? null : path.substring(0, last);
    }

    /** 0 for a top-level task, 1 for its subtasks, and so on. */
    static int depth(String path) {
        int depth = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == SEPARATOR) {
                depth++;
            }
        }
        return depth;
    }

    /** Whether a cursor's key is a sort path this API could have written (1 to 4 valid order keys). */
    static boolean isValidPath(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        String[] keys = path.split(String.valueOf(SEPARATOR), -1);
        if (keys.length > Tasks.MAX_DEPTH) {
            return false;
        }
        for (String key : keys) {
            if (!OrderKeys.isValid(key)) {
                return false;
            }
        }
        return true;
    }

    /** The first path after every path of the subtree rooted at {@code path} (the subtree is [path, end)). */
    static String subtreeEnd(String path) {
        return path + (char) (SEPARATOR + 1);
    }

    /** The user's tasks of a list whose sort paths are in [from, to). */
    public static org.jooq.Condition pathRange(String userId, UUID listId, String from, String to) {
        return TASKS.USER_ID.eq(userId).and(TASKS.LIST_ID.eq(listId)).and(TASKS.SORT_PATH.ge(from)).and(TASKS.SORT_PATH.lt(to));
    }

    /** A task of the list at this path and every task below it. */
    public static org.jooq.Condition subtree(String userId, UUID listId, String path) {
        return pathRange(userId, listId, path, subtreeEnd(path));
    }

    /**
     * Moves a task with its subtree in one statement: the task gets its new list, parent and position, and every
     * path of the subtree its new prefix; the tasks below it change list with it (a version bump when they do). One
     * statement because a subtask's reference to its parent includes the list: the subtree's rows change together.
     * Returns the moved task's new row.
     */
    public static TasksRecord moveSubtree(DSLContext db, dev.todoapi.sync.ChangeLog log, String userId, TasksRecord task,
            UUID toList, @Nullable UUID parentId, String position, @Nullable String parentPath) {
        String from = task.getSortPath();
        String to = path(parentPath, position);
        Field<Boolean> isTask = TASKS.ID.eq(task.getId());
        Field<Boolean> changes = DSL.or(TASKS.ID.eq(task.getId()), TASKS.LIST_ID.ne(toList));
        // The time as an inline literal (a constant when parsed), not current_timestamp nor a cast bind value: Citus
        // refuses non-immutable functions inside CASE in an UPDATE, and a cast of text to timestamptz is one
        // ("non-IMMUTABLE functions are not allowed in CASE or COALESCE statements", found by ops/citus/drill.sh).
        Field<OffsetDateTime> now = DSL.inline(OffsetDateTime.now(), org.jooq.impl.SQLDataType.TIMESTAMPWITHTIMEZONE);
        var rows = db.update(TASKS)
                .set(TASKS.LIST_ID, toList)
                .set(TASKS.SORT_PATH, DSL.val(to).concat(DSL.substring(TASKS.SORT_PATH, DSL.val(from.length() + 1))))
                .set(TASKS.PARENT_ID, DSL.when(isTask, DSL.val(parentId, TASKS.PARENT_ID)).otherwise(TASKS.PARENT_ID))
                .set(TASKS.POSITION, DSL.when(isTask, DSL.val(position)).otherwise(TASKS.POSITION))
                .set(TASKS.VERSION, DSL.when(changes, TASKS.VERSION.plus(1)).otherwise(TASKS.VERSION))
                .set(TASKS.UPDATED_AT, DSL.when(changes, now).otherwise(TASKS.UPDATED_AT))
                .set(TASKS.CHANGE_SEQ, DSL.when(changes, DSL.val(log.seq(userId))).otherwise(TASKS.CHANGE_SEQ))
                .where(subtree(userId, task.getListId(), from))
                .returning()
                .fetch();
        // What counted the task where it was: its old parent and list (the new ones are stamped as its context).
        if (task.getParentId() != null) {
            log.touchTasks(userId, java.util.List.of(task.getParentId()));
        }
        log.touchLists(userId, java.util.List.of(task.getListId()));
        return rows.stream().filter(row -> row.getId().equals(task.getId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("The moved task " + task.getId() + " was not updated"));
    }
}
