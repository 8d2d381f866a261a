package dev.todoapi.sync;

import dev.todoapi.api.model.StreamChange;
import dev.todoapi.api.model.SyncChange;
import dev.todoapi.api.model.SyncPage;
import dev.todoapi.list.Lists;
import dev.todoapi.sync.ChangeFeed.Entry;
import dev.todoapi.tag.Tags;
import dev.todoapi.task.Tasks;
import dev.todoapi.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 * The change feed: pages of (change number, kind, id) in that order ({@link ChangeFeed#walk}: the lists, tags and tasks
 * stamped after the token's position and the tombstones after its floor), read in one REPEATABLE READ snapshot together
 * with the user's committed change number and the resources' representations. Why it can't miss a change: ChangeLog.
 */
@Service
public class Sync {

    /** Where a run of pages is: after this (change number, kind, id); tombstones above {@code floor}; started then. */
    record Token(long seq, @Nullable String kind, @Nullable UUID id, long floor, Instant issued) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ChangeLog changes;
    private final ChangeFeed feed;
    private final Lists lists;
    private final Tasks tasks;
    private final Tags tags;
    private final Duration window;

    Sync(ChangeLog changes, ChangeFeed feed, Lists lists, Tasks tasks, Tags tags,
            @Value("${todo.sync.window:P30D}") Duration window) {
        this.changes = changes;
        this.feed = feed;
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
        List<Entry> entries = feed.walk(userId, at, limit);
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
