package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static dev.todoapi.db.jooq.Tables.TOMBSTONES;

import dev.todoapi.api.model.StreamChange;
import dev.todoapi.api.model.SyncChange;
import dev.todoapi.api.model.SyncPage;
import dev.todoapi.list.Lists;
import dev.todoapi.tag.Tags;
import dev.todoapi.task.Tasks;
import dev.todoapi.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The change feed: pages of (change number, kind, id) in that order, merged from the lists, tags and tasks stamped
 * after the token's position and the tombstones after its floor, read in one REPEATABLE READ snapshot together with
 * the user's committed change number and the resources' representations. Why it can't miss a change: ChangeLog.
 */
@Service
public class Sync {

    /** Where a run of pages is: after this (change number, kind, id); tombstones above {@code floor}; started then. */
    record Token(long seq, @Nullable String kind, @Nullable UUID id, long floor, Instant issued) {}

    /** One entry of a page, in feed order. */
    private record Entry(long seq, String kind, UUID id, @Nullable OffsetDateTime deletedAt) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** PostgreSQL's order of uuids: bytewise, so unsigned. */
    private static final Comparator<UUID> UUID_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };
    private static final Comparator<Entry> FEED_ORDER = Comparator.comparingLong(Entry::seq)
            .thenComparing(Entry::kind).thenComparing(Entry::id, UUID_ORDER);

    private final DSLContext db;
    private final ChangeLog changes;
    private final Lists lists;
    private final Tasks tasks;
    private final Tags tags;
    private final Duration window;

    Sync(DSLContext db, ChangeLog changes, Lists lists, Tasks tasks, Tags tags,
            @Value("${todo.sync.window:P30D}") Duration window) {
        this.db = db;
        this.changes = changes;
        this.lists = lists;
        this.tasks = tasks;
        this.tags = tags;
        this.window = window;
    }

    Duration window() {
        return window;
    }

    /** A run of the feed: the page's entries in feed order, whether more follow, and the token after them. */
    private record Run(List<Entry> page, boolean more, String next) {}

    /** What changed, without the resources: the page the live stream sends. */
    public record Peek(List<StreamChange> changes, boolean more, String next) {}

    /** The feed position of everything the user has committed so far: where a live stream without a token starts. */
    public String head(String userId) {
        long committed = changes.committed(userId);
        return encode(new Token(committed, null, null, committed, Instant.now()));
    }

    /** The user's last committed change number (0 before the first). */
    public long committed(String userId) {
        return changes.committed(userId);
    }

    /** The change number a token stands at (changes up to it are in it); 422 for a string that is no token of ours. */
    public static long position(String token) {
        return decode(token).seq();
    }

    /** The next changes after the token, as (op, type, id) only: one snapshot, as {@link #page}. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Peek peek(String userId, String token, int limit) {
        Run run = run(userId, token, limit);
        List<StreamChange> out = new ArrayList<>(run.page().size());
        for (Entry e : run.page()) {
            out.add(new StreamChange(e.deletedAt() == null ? StreamChange.OpEnum.UPSERT : StreamChange.OpEnum.DELETE,
                    StreamChange.TypeEnum.fromValue(e.kind()), e.id()));
        }
        return new Peek(out, run.more(), run.next());
    }

    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public SyncPage page(String userId, @Nullable String token, int limit) {
        Run run = run(userId, token, limit);
        List<Entry> page = run.page();

        List<UUID> listIds = new ArrayList<>();
        List<UUID> tagIds = new ArrayList<>();
        List<UUID> taskIds = new ArrayList<>();
        for (Entry e : page) {
            if (e.deletedAt() == null) {
                (switch (ChangeLog.Kind.of(e.kind())) {
                    case LIST -> listIds;
                    case TAG -> tagIds;
                    case TASK -> taskIds;
                }).add(e.id());
            }
        }
        Map<UUID, dev.todoapi.api.model.TodoList> listById = lists.representations(userId, listIds);
        Map<UUID, dev.todoapi.api.model.Tag> tagById = tags.representations(userId, tagIds);
        Map<UUID, dev.todoapi.api.model.Task> taskById = tasks.representations(userId, taskIds);
        List<SyncChange> out = new ArrayList<>(page.size());
        for (Entry e : page) {
            SyncChange change = new SyncChange(e.deletedAt() == null ? SyncChange.OpEnum.UPSERT : SyncChange.OpEnum.DELETE,
                    SyncChange.TypeEnum.fromValue(e.kind()), e.id());
            if (e.deletedAt() != null) {
                change.setDeletedAt(e.deletedAt());
            } else {
                switch (ChangeLog.Kind.of(e.kind())) {
                    case LIST -> change.setList(listById.get(e.id()));
                    case TAG -> change.setTag(tagById.get(e.id()));
                    case TASK -> change.setTask(taskById.get(e.id()));
                }
            }
            out.add(change);
        }
        return new SyncPage(out, run.more(), run.next());
    }

    /** Inside the caller's REPEATABLE READ transaction: the committed number and the rows, from one snapshot. */
    private Run run(String userId, @Nullable String token, int limit) {
        long committed = changes.committed(userId);
        Token at = token == null || token.isEmpty()
                ? new Token(-1, null, null, committed, Instant.now())
                : decode(token);
        if (at.issued().isBefore(Instant.now().minus(window))) {
            throw new ApiException(HttpStatus.GONE, "SYNC_TOKEN_EXPIRED", "This sync token is older than "
                    + window.toDays() + " days, the time deletions are kept; start a full sync without a token.");
        }
        List<Entry> entries = new ArrayList<>();
        entries.addAll(live(userId, LISTS, LISTS.USER_ID, LISTS.ID, LISTS.CHANGE_SEQ, ChangeLog.Kind.LIST, at, limit));
        entries.addAll(live(userId, TAGS, TAGS.USER_ID, TAGS.ID, TAGS.CHANGE_SEQ, ChangeLog.Kind.TAG, at, limit));
        entries.addAll(live(userId, TASKS, TASKS.USER_ID, TASKS.ID, TASKS.CHANGE_SEQ, ChangeLog.Kind.TASK, at, limit));
        entries.addAll(tombstones(userId, at, limit));
        entries.sort(FEED_ORDER);
        boolean more = entries.size() > limit;
        List<Entry> page = more ? entries.subList(0, limit) : entries;
        Token next;
        if (more) {
            Entry last = page.getLast();
            next = new Token(last.seq(), last.kind(), last.id(), at.floor(), at.issued());
        } else {
            next = new Token(committed, null, null, committed, Instant.now());
        }
        return new Run(page, more, encode(next));
    }

    /** The rows of one kind after the position, in feed order (at most limit + 1), pinned to the user. */
    private List<Entry> live(String userId, Table<?> table, Field<String> user, Field<UUID> id, Field<Long> seq,
            ChangeLog.Kind kind, Token at, int limit) {
        return db.select(seq, id).from(table)
                .where(user.eq(userId), after(seq, id, kind.wire(), at))
                .orderBy(seq, id)
                .limit(limit + 1)
                .fetch(row -> new Entry(row.value1(), kind.wire(), row.value2(), null));
    }

    private List<Entry> tombstones(String userId, Token at, int limit) {
        Condition after = at.kind() == null
                ? TOMBSTONES.CHANGE_SEQ.gt(at.seq())
                : DSL.row(TOMBSTONES.CHANGE_SEQ, TOMBSTONES.KIND, TOMBSTONES.ID).gt(at.seq(), at.kind(), at.id());
        return db.select(TOMBSTONES.CHANGE_SEQ, TOMBSTONES.KIND, TOMBSTONES.ID, TOMBSTONES.DELETED_AT).from(TOMBSTONES)
                .where(TOMBSTONES.USER_ID.eq(userId), TOMBSTONES.CHANGE_SEQ.gt(at.floor()), after)
                .orderBy(TOMBSTONES.CHANGE_SEQ, TOMBSTONES.KIND, TOMBSTONES.ID)
                .limit(limit + 1)
                .fetch(row -> new Entry(row.value1(), row.value2(), row.value3(), row.value4()));
    }

    /** (seq, kind, id) > the position, for rows of one kind. */
    private static Condition after(Field<Long> seq, Field<UUID> id, String kind, Token at) {
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

    static String encode(Token token) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", 1);
        node.put("s", token.seq());
        if (token.kind() != null) {
            node.put("k", token.kind());
            node.put("i", String.valueOf(token.id()));
        }
        node.put("f", token.floor());
        node.put("t", token.issued().getEpochSecond());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(node));
    }

    static Token decode(String token) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(token.getBytes(StandardCharsets.US_ASCII)));
            if (node.path("v").asInt(0) != 1 || !node.path("s").isIntegralNumber() || !node.path("f").isIntegralNumber()
                    || !node.path("t").isIntegralNumber()) {
                throw invalid();
            }
            String kind = node.has("k") ? node.path("k").asString() : null;
            UUID id = kind == null ? null : UUID.fromString(node.path("i").asString());
            if (kind != null) {
                ChangeLog.Kind.of(kind);
            }
            return new Token(node.path("s").asLong(), kind, id, node.path("f").asLong(),
                    Instant.ofEpochSecond(node.path("t").asLong()));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.validation("token", "INVALID_SYNC_TOKEN", "is not a sync token this API issued");
    }
}
