package dev.todoapi.task;

import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.order.OrderKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Re-keys the siblings around a gap whose keys have grown long (many moves into one gap add about a character per
 * six), bounded and off everyone else's path: a window of siblings on both sides of the gap, widened until the keys
 * that fit between its outer neighbours are short again (at most {@link #WINDOWS}' last size on each side, at most
 * {@link #MAX_ROWS} rows with their subtrees), gets evenly spread new keys. It never waits for a lock: the caller
 * holds the place's lock (no sibling can be placed meanwhile), and the window's rows are locked with SKIP LOCKED; if
 * any of them is held by another transaction, nothing is re-keyed now and the caller's long key stands (keys have
 * room up to {@link OrderKeys#MAX_LENGTH}).
 */
@Component
class Rebalance {

    /** Where the caller's task goes after a rebalance: between these two (new) keys. */
    record Gap(@Nullable String low, @Nullable String high) {}

    /** Siblings on each side of the gap, tried in turn. */
    static final int[] WINDOWS = {8, 32, 128, 512};

    /** Rows (window and subtrees) a rebalance may rewrite. */
    static final int MAX_ROWS = 4096;

    /** New keys at most this long end the widening. */
    static final int SHORT = Tasks.REBALANCE_AT / 2;

    private final TaskRepository tasks;
    private final DSLContext db;
    private final dev.todoapi.sync.ChangeLog changes;

    Rebalance(TaskRepository tasks, DSLContext db, dev.todoapi.sync.ChangeLog changes) {
        this.tasks = tasks;
        this.db = db;
        this.changes = changes;
    }

    /**
     * Re-keys the siblings (of this list and parent) around the gap between {@code low} and {@code high}; the gap's
     * new bounds, or empty when nothing was re-keyed. The caller holds the lock of the place.
     */
    Optional<Gap> around(String userId, UUID listId, @Nullable UUID parentId, @Nullable String parentPath,
            @Nullable String low, @Nullable String high) {
        for (int size : WINDOWS) {
            Window window = window(userId, listId, parentId, high, size);
            if (window.siblings().isEmpty()) {
                return Optional.empty();
            }
            List<String> keys = OrderKeys.between(window.outerLow(), window.outerHigh(), window.siblings().size());
            boolean wholeGroup = window.outerLow() == null && window.outerHigh() == null;
            if (!wholeGroup && keys.stream().anyMatch(key -> key.length() > SHORT)) {
                continue; // the outer neighbours are long keys too: widen
            }
            return rewrite(userId, listId, parentId, parentPath, high, size, window, keys, low);
        }
        return Optional.empty();
    }

    /** Up to {@code size} siblings on each side of the gap below {@code high}, in order, and the keys just outside. */
    private record Window(List<TasksRecord> siblings, @Nullable String outerLow, @Nullable String outerHigh) {

        List<UUID> ids() {
            return siblings.stream().map(TasksRecord::getId).toList();
        }
    }

    private Window window(String userId, UUID listId, @Nullable UUID parentId, @Nullable String high, int size) {
        List<TasksRecord> below = tasks.siblingsNear(userId, listId, parentId, high, true, size + 1);
        List<TasksRecord> above = tasks.siblingsNear(userId, listId, parentId, high, false, size + 1);
        List<TasksRecord> siblings = new ArrayList<>(below.subList(0, Math.min(size, below.size())));
        Collections.reverse(siblings);
        siblings.addAll(above.subList(0, Math.min(size, above.size())));
        return new Window(siblings, below.size() > size ? below.get(size).getPosition() : null,
                above.size() > size ? above.get(size).getPosition() : null);
    }

    private Optional<Gap> rewrite(String userId, UUID listId, @Nullable UUID parentId, @Nullable String parentPath,
            @Nullable String high, int size, Window window, List<String> keys, @Nullable String low) {
        // The window's rows and subtrees are one range of sort paths; lock all of it without waiting, or nothing.
        String from = window.siblings().getFirst().getSortPath();
        String to = TaskTree.subtreeEnd(window.siblings().getLast().getSortPath());
        int rows = tasks.countPaths(userId, listId, from, to);
        if (rows > MAX_ROWS || tasks.lockPathsWithoutWaiting(userId, listId, from, to) != rows
                || !window(userId, listId, parentId, high, size).ids().equals(window.ids())) {
            return Optional.empty(); // held by another transaction, or changed since it was read
        }
        Map<String, String> newKeyOf = new HashMap<>();
        List<Integer> down = new ArrayList<>();
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < window.siblings().size(); i++) {
            String old = window.siblings().get(i).getPosition();
            newKeyOf.put(old, keys.get(i));
            int order = keys.get(i).compareTo(old);
            if (order < 0) {
                down.add(i);
            } else if (order > 0) {
                up.add(i);
            }
        }
        // Siblings never share a key, not even for a moment (the unique key is checked row by row): the keys that
        // decrease are rewritten in ascending order, then those that increase in descending order.
        Collections.reverse(up);
        for (List<Integer> pass : List.of(down, up)) {
            for (int i : pass) {
                TasksRecord sibling = window.siblings().get(i);
                TaskTree.moveSubtree(db, changes, userId, sibling, listId, parentId, keys.get(i), parentPath);
            }
        }
        return Optional.of(new Gap(low == null ? null : Objects.requireNonNull(newKeyOf.get(low)),
                high == null ? null : Objects.requireNonNull(newKeyOf.get(high))));
    }
}
