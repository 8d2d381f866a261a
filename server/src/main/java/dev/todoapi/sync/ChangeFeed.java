package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TOMBSTONES;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The change feed's positions and entries without the resources themselves, for readers that only name what changed
 * (webhooks; the live stream may use it too): the same ordered walks as {@link Sync#page}, the same positions, and
 * sync tokens for them. Call it in a REPEATABLE READ transaction, as Sync does, so that the committed change number
 * and the rows are one snapshot.
 */
@Component
public class ChangeFeed {

    /** After (seq, kind, id); after every change numbered seq or less when kind is null. */
    public record Position(long seq, @Nullable String kind, @Nullable UUID id) {
        public static Position after(long seq) {
            return new Position(seq, null, null);
        }
    }

    /** One entry of the feed: a resource as of change {@code seq}, or its deletion. */
    public record Entry(long seq, String kind, UUID id, @Nullable OffsetDateTime deletedAt) {
        public Position position() {
            return new Position(seq, kind, id);
        }
    }

    /** Entries after a position in feed order; {@code next} is where the next read starts. */
    public record Page(List<Entry> entries, boolean more, Position next) {}

    private static final Comparator<UUID> UUID_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };
    private static final Comparator<Entry> FEED_ORDER = Comparator.comparingLong(Entry::seq)
            .thenComparing(Entry::kind).thenComparing(Entry::id, UUID_ORDER);

    private final DSLContext db;
    private final ChangeLog changes;

    ChangeFeed(DSLContext db, ChangeLog changes) {
        this.db = db;
        this.changes = changes;
    }

    /** The user's last committed change number, 0 before the first. */
    public long committed(String userId) {
        return changes.committed(userId);
    }

    /**
     * Up to {@code limit} entries after the position. When nothing more is there, {@code next} is after the committed
     * change number read first (so a transaction that left no entry is passed too).
     */
    public Page after(String userId, Position at, int limit) {
        long committed = changes.committed(userId);
        List<Entry> entries = walk(userId, new Sync.Token(at.seq(), at.kind(), at.id(), at.seq() - 1, Instant.now()), limit);
        entries.removeIf(e -> e.seq() > committed); // committed after the counter was read: the next read has them
        boolean more = entries.size() > limit;
        List<Entry> page = more ? List.copyOf(entries.subList(0, limit)) : List.copyOf(entries);
        Position next = more ? page.getLast().position() : Position.after(Math.max(committed, at.seq()));
        return new Page(page, more, next);
    }

    /**
     * The one walk of the feed, for /sync, the event stream and webhooks: the lists, tags and tasks stamped after the
     * token's position and the tombstones after it (and above its floor), each at most {@code limit + 1}, merged in
     * feed order.
     */
    List<Entry> walk(String userId, Sync.Token at, int limit) {
        List<Entry> entries = new ArrayList<>();
        entries.addAll(live(userId, LISTS, LISTS.USER_ID, LISTS.ID, LISTS.CHANGE_SEQ, ChangeLog.Kind.LIST, at, limit));
        entries.addAll(live(userId, TAGS, TAGS.USER_ID, TAGS.ID, TAGS.CHANGE_SEQ, ChangeLog.Kind.TAG, at, limit));
        entries.addAll(live(userId, TASKS, TASKS.USER_ID, TASKS.ID, TASKS.CHANGE_SEQ, ChangeLog.Kind.TASK, at, limit));
        Condition after = at.kind() == null
                ? TOMBSTONES.CHANGE_SEQ.gt(at.seq())
                : DSL.row(TOMBSTONES.CHANGE_SEQ, TOMBSTONES.KIND, TOMBSTONES.ID).gt(at.seq(), at.kind(), at.id());
        entries.addAll(db.select(TOMBSTONES.CHANGE_SEQ, TOMBSTONES.KIND, TOMBSTONES.ID, TOMBSTONES.DELETED_AT).from(TOMBSTONES)
                .where(TOMBSTONES.USER_ID.eq(userId), TOMBSTONES.CHANGE_SEQ.gt(at.floor()), after)
                .orderBy(TOMBSTONES.CHANGE_SEQ, TOMBSTONES.KIND, TOMBSTONES.ID)
                .limit(limit + 1)
                .fetch(row -> new Entry(row.value1(), row.value2(), row.value3(), row.value4())));
        entries.sort(FEED_ORDER);
        return entries;
    }

    /** A sync token for the feed position right after this entry: {@code GET /api/v1/sync?token=} continues there. */
    public String tokenAfter(Entry entry) {
        return Sync.encode(new Sync.Token(entry.seq(), entry.kind(), entry.id(), entry.seq() - 1, Instant.now()));
    }

    private List<Entry> live(String userId, Table<?> table, Field<String> user, Field<UUID> id, Field<Long> seq,
            ChangeLog.Kind kind, Sync.Token at, int limit) {
        return db.select(seq, id).from(table)
                .where(user.eq(userId), after(seq, id, kind.wire(), at))
                .orderBy(seq, id)
                .limit(limit + 1)
                .fetch(row -> new Entry(row.value1(), kind.wire(), row.value2(), null));
    }

    private static Condition after(Field<Long> seq, Field<UUID> id, String kind, Sync.Token at) {
        if (at.kind() == null) {
            return seq.gt(at.seq());
        }
        int order = kind.compareTo(at.kind());
        if (order > 0) {
            return seq.ge(at.seq());
        }
        if (order < 0) {
            return seq.gt(at.seq());
        }
        return DSL.row(seq, id).gt(at.seq(), at.id());
    }
}
