package dev.todoapi.list;

import dev.todoapi.db.jooq.tables.records.ListsRecord;
import dev.todoapi.order.OrderKeys;
import dev.todoapi.web.ApiException;
import dev.todoapi.web.ETags;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Task lists: every user has exactly one default list (the Inbox), created with the user; it can be renamed, not
 * deleted. Lists come in their manual order; a new one goes last.
 */
@Service
public class Lists {

    /** Lists a user may have. */
    public static final int MAX_LISTS = 1_000;

    static final String INBOX = "Inbox";

    public record Changes(boolean nameSet, @Nullable String name, boolean colorSet, @Nullable String color) {}

    private final ListRepository lists;

    private final dev.todoapi.sync.ChangeLog changeLog;

    Lists(ListRepository lists, dev.todoapi.sync.ChangeLog changeLog) {
        this.lists = lists;
        this.changeLog = changeLog;
    }

    /** The new user's Inbox; call in the transaction that creates the user. */
    @Transactional
    public void createDefault(String userId) {
        lists.insert(userId, INBOX, null, OrderKeys.first(), true);
    }

    /**
     * Row-locks the list (the default one when {@code listId} is null), so that the top-level tasks placed in it are
     * placed one at a time (each next to a key the others don't change meanwhile); its id, or empty when the user
     * has no such list (another user's list is as missing as one that never was).
     */
    @Transactional
    public Optional<UUID> lockForPlacing(String userId, @Nullable UUID listId) {
        return (listId == null ? lists.lockDefault(userId) : lists.lock(userId, listId)).map(ListsRecord::getId);
    }

    /** These lists as the contract shows them, by id (those the user has); for the change feed. */
    public java.util.Map<UUID, dev.todoapi.api.model.TodoList> representations(String userId, java.util.Collection<UUID> listIds) {
        java.util.Map<UUID, dev.todoapi.api.model.TodoList> byId = new java.util.HashMap<>();
        if (!listIds.isEmpty()) {
            lists.byIds(userId, listIds).forEach(row -> byId.put(row.list().getId(), ListController.list(row)));
        }
        return byId;
    }

    /** Whether the user has this list (one statement, no transaction). */
    public boolean exists(String userId, UUID listId) {
        return lists.exists(userId, listId);
    }

    @Transactional(readOnly = true)
    public List<ListRepository.ListWithCounts> all(String userId) {
        return lists.all(userId);
    }

    @Transactional(readOnly = true)
    public ListRepository.ListWithCounts get(String userId, UUID listId) {
        return lists.find(userId, listId).orElseThrow(() -> notFound(listId));
    }

    @Transactional
    public ListRepository.ListWithCounts create(String userId, String name, @Nullable String color) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        String trimmed = name(name);
        lists.lockDefault(userId); // one create of this user at a time: each takes the position after the last
        if (lists.count(userId) >= MAX_LISTS) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "LIST_LIMIT_REACHED",
                    "You have " + MAX_LISTS + " lists, the most there can be; delete one first.");
        }
        String last = lists.lastPosition(userId);
        ListsRecord created = lists.insert(userId, trimmed, color, OrderKeys.between(last, null), false);
        return new ListRepository.ListWithCounts(created, 0, 0);
    }

    /** Puts a trashed list back (its id, name and color; last in the order; not the default), for the trash. */
    @Transactional
    public void restore(String userId, ListsRecord list) {
        changeLog.begin(userId);
        lists.lockDefault(userId);
        if (lists.count(userId) >= MAX_LISTS) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "LIST_LIMIT_REACHED",
                    "You have " + MAX_LISTS + " lists, the most there can be; delete one first.");
        }
        list.setPosition(OrderKeys.between(lists.lastPosition(userId), null));
        list.setIsDefault(false);
        list.setVersion(list.getVersion() + 1);
        list.setUpdatedAt(java.time.OffsetDateTime.now());
        lists.insertExact(list);
    }

    @Transactional
    public ListRepository.ListWithCounts update(String userId, UUID listId, Changes changes, @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        ListsRecord list = lists.lock(userId, listId).orElseThrow(() -> notFound(listId));
        ETags.checkIfMatch(ifMatch, list.getVersion());
        if (changes.nameSet()) {
            if (changes.name() == null) {
                throw ApiException.validation("name", "REQUIRED", "can't be null");
            }
            list.setName(name(changes.name()));
        }
        if (changes.colorSet()) {
            list.setColor(changes.color());
        }
        if (list.changed()) {
            lists.update(list);
        }
        return get(userId, listId);
    }

    /**
     * Puts the list right after {@code afterId}, right before {@code beforeId}, or first: one row written, its
     * position a key between its new neighbours'. A user's moves and creates take the Inbox row lock, one at a
     * time, so two of them never compute a key for the same gap (and the unique key would refuse the second).
     */
    @Transactional
    public ListRepository.ListWithCounts move(String userId, UUID listId, @Nullable UUID afterId, @Nullable UUID beforeId,
            @Nullable String ifMatch) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        if (afterId != null && beforeId != null) {
            throw ApiException.validation("before_id", "INVALID_VALUE", "give after_id or before_id, not both");
        }
        lists.lockDefault(userId);
        ListsRecord list = lists.lock(userId, listId).orElseThrow(() -> notFound(listId));
        ETags.checkIfMatch(ifMatch, list.getVersion());
        String position;
        if (afterId != null || beforeId != null) {
            String field = afterId != null ? "after_id" : "before_id";
            UUID targetId = afterId != null ? afterId : beforeId;
            if (targetId.equals(listId)) {
                throw ApiException.validation(field, "INVALID_VALUE", "must be another list than the one moved");
            }
            ListsRecord target = lists.lock(userId, targetId)
                    .orElseThrow(() -> ApiException.validation(field, "LIST_NOT_FOUND", "is not one of your lists"));
            position = afterId != null
                    ? OrderKeys.between(target.getPosition(), lists.positionAfter(userId, target.getPosition(), listId))
                    : OrderKeys.between(lists.positionBefore(userId, target.getPosition(), listId), target.getPosition());
        } else {
            position = OrderKeys.between(null, lists.positionAfter(userId, null, listId));
        }
        lists.updatePosition(userId, listId, position);
        return get(userId, listId);
    }

    /** Deletes the list and its tasks, or moves its tasks to {@code moveTasksTo} first; one transaction. */
    @Transactional
    public void delete(String userId, UUID listId, @Nullable String ifMatch, @Nullable UUID moveTasksTo) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        ListsRecord list = lists.lock(userId, listId).orElseThrow(() -> notFound(listId));
        ETags.checkIfMatch(ifMatch, list.getVersion());
        if (list.getIsDefault()) {
            throw new ApiException(HttpStatus.CONFLICT, "DEFAULT_LIST",
                    "The default list can't be deleted (it can be renamed).");
        }
        if (moveTasksTo != null) {
            if (moveTasksTo.equals(listId)) {
                throw ApiException.validation("move_tasks_to", "INVALID_VALUE", "must be another list than the one deleted");
            }
            if (lists.lock(userId, moveTasksTo).isEmpty()) {
                throw ApiException.validation("move_tasks_to", "LIST_NOT_FOUND", "is not one of your lists");
            }
            // The top-level tasks go after the target's, in their order (new keys: the target's are taken); their
            // subtasks keep their places under them.
            List<dev.todoapi.db.jooq.tables.records.TasksRecord> topLevel = lists.topLevelTasks(userId, listId);
            List<String> keys = OrderKeys.between(lists.lastTopLevelPosition(userId, moveTasksTo), null, topLevel.size());
            for (int i = 0; i < topLevel.size(); i++) {
                lists.placeTask(userId, topLevel.get(i), moveTasksTo, keys.get(i));
            }
        }
        lists.delete(list); // locked above
    }

    private static String name(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw ApiException.validation("name", "TOO_SHORT", "must not be blank");
        }
        if (trimmed.length() > 100) {
            throw ApiException.validation("name", "TOO_LONG", "size must be between 1 and 100");
        }
        return trimmed;
    }

    public static ApiException notFound(UUID listId) {
        return new ApiException(HttpStatus.NOT_FOUND, "LIST_NOT_FOUND", "There is no list " + listId + ".");
    }
}
