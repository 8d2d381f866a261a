package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.CHANGE_COUNTERS;
import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TASK_TAGS;
import static dev.todoapi.db.jooq.Tables.TOMBSTONES;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The one place that records changes, for the change feed (and what will read it: the live stream, webhooks).
 *
 * <p>Every write transaction of a user calls {@link #begin} before it locks or writes anything else: that takes the
 * user's change counter (one row, held to the commit) and gives the transaction its change number. A user's write
 * transactions therefore run one at a time and get their numbers in commit order: once a reader sees number N
 * committed, nothing numbered N or less can still commit. Everything the transaction writes is stamped with its
 * number ({@link #seq}); {@link #deleted} leaves tombstones. Before the commit, whatever shows a count of what
 * changed is stamped too: the lists, parent tasks and tags of the tasks written (their task, subtask and open
 * counts may have changed), plus what callers name with {@code touch*} (a task's old list or parent, a tag it lost).
 */
@Component
public class ChangeLog {

    public enum Kind {
        LIST("list"), TASK("task"), TAG("tag");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Kind of(String wire) {
            for (Kind kind : values()) {
                if (kind.wire.equals(wire)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(wire);
        }
    }

    /**
     * Told of each write transaction of a user just before it commits, inside it: what it does there commits (or
     * rolls back) with the change. The one place push and webhooks hear of changes; they read the changes themselves
     * from the feed. An exception rolls the write back, so an observer does only what must commit with it.
     */
    public interface CommitObserver {
        void beforeCommit(String userId, long seq);
    }

    private final DSLContext db;
    private final ObjectProvider<CommitObserver> observers;

    ChangeLog(DSLContext db, ObjectProvider<CommitObserver> observers) {
        this.db = db;
        this.observers = observers;
    }

    /** What one transaction has recorded for one user. */
    private final class Pending implements TransactionSynchronization {
        final String userId;
        final long seq;
        final Set<UUID> tasks = new LinkedHashSet<>();
        final Set<UUID> lists = new LinkedHashSet<>();
        final Set<UUID> tags = new LinkedHashSet<>();
        /** Whether a write may have changed a count (a task created, deleted, moved, completed or reopened, retagged). */
        boolean counts;

        Pending(String userId, long seq) {
            this.userId = userId;
            this.seq = seq;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            stampContext(this);
            observers.orderedStream().forEach(observer -> observer.beforeCommit(userId, seq));
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(key(userId));
        }
    }

    private static String key(String userId) {
        return "todo.changes:" + userId;
    }

    /**
     * Starts recording the user's changes in the current transaction (once; later calls return the same number):
     * takes the user's change counter. Call it first in a write transaction, before any other lock.
     */
    public long begin(String userId) {
        return pending(userId).seq;
    }

    /** The current transaction's change number for the user (begins if it hasn't). */
    public long seq(String userId) {
        return pending(userId).seq;
    }

    private Pending pending(String userId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("Changes are recorded in a transaction");
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(key(userId));
        if (pending == null) {
            long seq = db.insertInto(CHANGE_COUNTERS, CHANGE_COUNTERS.USER_ID, CHANGE_COUNTERS.SEQ)
                    .values(userId, 1L)
                    .onConflict(CHANGE_COUNTERS.USER_ID)
                    .doUpdate().set(CHANGE_COUNTERS.SEQ, CHANGE_COUNTERS.SEQ.plus(1))
                    .returning(CHANGE_COUNTERS.SEQ)
                    .fetchSingle().getSeq();
            pending = new Pending(userId, seq);
            TransactionSynchronizationManager.bindResource(key(userId), pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        return pending;
    }

    /**
     * A write of this transaction may change what others count (a task created, deleted, moved, completed or reopened,
     * or its tags changed): before the commit, the lists, parents and tags of the tasks written are stamped too. Writes
     * that change nothing counted (a title, a due date) leave them alone, so the feed doesn't resend them.
     */
    public void countsMayChange(String userId) {
        pending(userId).counts = true;
    }

    /** These tasks' representations changed without a write of their rows (a parent's counts, a tag's rename). */
    public void touchTasks(String userId, Collection<UUID> taskIds) {
        Pending p = pending(userId);
        p.tasks.addAll(taskIds);
        p.counts |= !taskIds.isEmpty();
    }

    public void touchLists(String userId, Collection<UUID> listIds) {
        Pending p = pending(userId);
        p.lists.addAll(listIds);
        p.counts |= !listIds.isEmpty();
    }

    public void touchTags(String userId, Collection<UUID> tagIds) {
        Pending p = pending(userId);
        p.tags.addAll(tagIds);
        p.counts |= !tagIds.isEmpty();
    }

    /** Tombstones for these deleted resources (a resource deleted again, after a restore, gets a new one). */
    public void deleted(String userId, Kind kind, Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        long seq = seq(userId);
        countsMayChange(userId);
        var insert = db.insertInto(TOMBSTONES, TOMBSTONES.USER_ID, TOMBSTONES.KIND, TOMBSTONES.ID, TOMBSTONES.CHANGE_SEQ);
        for (UUID id : ids) {
            insert = insert.values(userId, kind.wire(), id, seq);
        }
        insert.onConflict(TOMBSTONES.USER_ID, TOMBSTONES.KIND, TOMBSTONES.ID)
                .doUpdate()
                .set(TOMBSTONES.CHANGE_SEQ, DSL.excluded(TOMBSTONES.CHANGE_SEQ))
                // The new row's default, not current_timestamp here: Citus refuses non-immutable functions in DO UPDATE SET.
                .set(TOMBSTONES.DELETED_AT, DSL.excluded(TOMBSTONES.DELETED_AT))
                .execute();
    }

    /**
     * Keeps a deleted task (with its subtree) or list (with its tasks) in the trash for the sync window: a snapshot of
     * its rows and tag links, which {@link Trash} restores with the same ids.
     */
    public void trash(String userId, Kind kind, UUID id, String title, java.util.List<? extends org.jooq.TableRecord<?>> tasks,
            java.util.List<? extends org.jooq.TableRecord<?>> taskTags, org.jooq.@org.jspecify.annotations.Nullable TableRecord<?> list) {
        java.util.Map<String, Object> content = new java.util.LinkedHashMap<>();
        if (list != null) {
            content.put("list", list.intoMap());
        }
        content.put("tasks", tasks.stream().map(org.jooq.Record::intoMap).toList());
        content.put("task_tags", taskTags.stream().map(org.jooq.Record::intoMap).toList());
        db.insertInto(dev.todoapi.db.jooq.Tables.TRASH)
                .set(dev.todoapi.db.jooq.Tables.TRASH.USER_ID, userId)
                .set(dev.todoapi.db.jooq.Tables.TRASH.KIND, kind.wire())
                .set(dev.todoapi.db.jooq.Tables.TRASH.ID, id)
                .set(dev.todoapi.db.jooq.Tables.TRASH.TITLE, title)
                .set(dev.todoapi.db.jooq.Tables.TRASH.TASK_COUNT, tasks.size())
                .set(dev.todoapi.db.jooq.Tables.TRASH.CONTENT, JSON.writeValueAsString(content))
                .onConflict(dev.todoapi.db.jooq.Tables.TRASH.USER_ID, dev.todoapi.db.jooq.Tables.TRASH.KIND, dev.todoapi.db.jooq.Tables.TRASH.ID)
                .doUpdate()
                .set(dev.todoapi.db.jooq.Tables.TRASH.TITLE, DSL.excluded(dev.todoapi.db.jooq.Tables.TRASH.TITLE))
                .set(dev.todoapi.db.jooq.Tables.TRASH.TASK_COUNT, DSL.excluded(dev.todoapi.db.jooq.Tables.TRASH.TASK_COUNT))
                .set(dev.todoapi.db.jooq.Tables.TRASH.CONTENT, DSL.excluded(dev.todoapi.db.jooq.Tables.TRASH.CONTENT))
                .set(dev.todoapi.db.jooq.Tables.TRASH.DELETED_AT, DSL.excluded(dev.todoapi.db.jooq.Tables.TRASH.DELETED_AT))
                .execute();
    }

    static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    /**
     * Stamps what shows counts of the transaction's writes: the named tasks, lists and tags; the parents, lists and
     * tags of every task stamped with this number. Each statement is pinned to the user.
     */
    private void stampContext(Pending p) {
        String u = p.userId;
        long seq = p.seq;
        if (!p.tasks.isEmpty()) {
            db.update(TASKS).set(TASKS.CHANGE_SEQ, seq)
                    .where(TASKS.USER_ID.eq(u), TASKS.ID.in(p.tasks), TASKS.CHANGE_SEQ.ne(seq)).execute();
        }
        if (!p.counts) {
            stampNamed(p);
            return;
        }
        var changed = TASKS.as("changed");
        // Parents of the tasks written (their subtask counts).
        db.update(TASKS).set(TASKS.CHANGE_SEQ, seq)
                .where(TASKS.USER_ID.eq(u), TASKS.CHANGE_SEQ.ne(seq), TASKS.ID.in(
                        DSL.select(changed.PARENT_ID).from(changed)
                                .where(changed.USER_ID.eq(u), changed.CHANGE_SEQ.eq(seq), changed.PARENT_ID.isNotNull())))
                .execute();
        // Lists of the tasks written, and the named ones (their task counts).
        db.update(LISTS).set(LISTS.CHANGE_SEQ, seq)
                .where(LISTS.USER_ID.eq(u), LISTS.CHANGE_SEQ.ne(seq),
                        LISTS.ID.in(DSL.select(changed.LIST_ID).from(changed).where(changed.USER_ID.eq(u), changed.CHANGE_SEQ.eq(seq)))
                                .or(p.lists.isEmpty() ? DSL.falseCondition() : LISTS.ID.in(p.lists)))
                .execute();
        // Tags of the tasks written, and the named ones (their open task counts).
        db.update(TAGS).set(TAGS.CHANGE_SEQ, seq)
                .where(TAGS.USER_ID.eq(u), TAGS.CHANGE_SEQ.ne(seq),
                        TAGS.ID.in(DSL.select(TASK_TAGS.TAG_ID).from(TASK_TAGS).join(changed)
                                        .on(changed.USER_ID.eq(u), changed.ID.eq(TASK_TAGS.TASK_ID))
                                        .where(TASK_TAGS.USER_ID.eq(u), changed.CHANGE_SEQ.eq(seq)))
                                .or(p.tags.isEmpty() ? DSL.falseCondition() : TAGS.ID.in(p.tags)))
                .execute();
    }

    /** Only the lists and tags callers named (the tasks named are stamped already). */
    private void stampNamed(Pending p) {
        if (!p.lists.isEmpty()) {
            db.update(LISTS).set(LISTS.CHANGE_SEQ, p.seq)
                    .where(LISTS.USER_ID.eq(p.userId), LISTS.ID.in(p.lists), LISTS.CHANGE_SEQ.ne(p.seq)).execute();
        }
        if (!p.tags.isEmpty()) {
            db.update(TAGS).set(TAGS.CHANGE_SEQ, p.seq)
                    .where(TAGS.USER_ID.eq(p.userId), TAGS.ID.in(p.tags), TAGS.CHANGE_SEQ.ne(p.seq)).execute();
        }
    }

    /** The user's last committed change number, 0 before the first. */
    long committed(String userId) {
        Long seq = db.select(CHANGE_COUNTERS.SEQ).from(CHANGE_COUNTERS).where(CHANGE_COUNTERS.USER_ID.eq(userId))
                .fetchOne(CHANGE_COUNTERS.SEQ);
        return seq == null ? 0 : seq;
    }
}
