package dev.todoapi.tag;

import dev.todoapi.db.jooq.tables.records.TagsRecord;
import dev.todoapi.web.ApiException;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A user's tags. Names are unique per user, case-insensitively; another user's tag is "not found". */
@Service
public class Tags {

    /** What a PATCH changes: a field is only applied when present. */
    public record Changes(boolean nameSet, @Nullable String name, boolean colorSet, @Nullable String color) {}

    private final TagRepository tags;

    private final dev.todoapi.sync.ChangeLog changeLog;

    Tags(TagRepository tags, dev.todoapi.sync.ChangeLog changeLog) {
        this.tags = tags;
        this.changeLog = changeLog;
    }

    @Transactional(readOnly = true)
    public List<TagRepository.TagWithCount> list(String userId) {
        return tags.listWithCounts(userId);
    }

    /** These tags as the contract shows them, by id (those the user has); for the change feed. */
    public java.util.Map<UUID, dev.todoapi.api.model.Tag> representations(String userId, java.util.Collection<UUID> tagIds) {
        java.util.Map<UUID, dev.todoapi.api.model.Tag> byId = new java.util.HashMap<>();
        if (!tagIds.isEmpty()) {
            tags.byIds(userId, tagIds).forEach(row -> byId.put(row.tag().getId(), TagController.tag(row)));
        }
        return byId;
    }

    @Transactional(readOnly = true)
    public TagRepository.TagWithCount get(String userId, UUID tagId) {
        return tags.findWithCount(userId, tagId).orElseThrow(() -> notFound(tagId));
    }

    @Transactional
    public TagRepository.TagWithCount create(String userId, String name, @Nullable String color) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        String trimmed = TagNames.normalize(name, "name");
        TagsRecord tag;
        try {
            tag = tags.insert(userId, trimmed, color);
        } catch (DuplicateKeyException e) {
            throw alreadyExists(trimmed);
        }
        return new TagRepository.TagWithCount(tag, 0);
    }

    @Transactional
    public TagRepository.TagWithCount update(String userId, UUID tagId, Changes changes) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        TagsRecord tag = tags.lock(userId, tagId).orElseThrow(() -> notFound(tagId));
        if (changes.nameSet()) {
            if (changes.name() == null) {
                throw ApiException.validation("name", "REQUIRED", "can't be null");
            }
            tag.setName(TagNames.normalize(changes.name(), "name"));
        }
        if (changes.colorSet()) {
            tag.setColor(changes.color());
        }
        if (tag.changed()) {
            try {
                tags.update(tag);
            } catch (DuplicateKeyException e) {
                throw alreadyExists(tag.getName());
            }
            tags.touchTasksOf(userId, tagId);
        }
        return get(userId, tagId);
    }

    /** Deletes the tag; it disappears from its tasks, which count as changed. */
    @Transactional
    public void delete(String userId, UUID tagId) {
        changeLog.begin(userId); // first: the user's writes run one at a time, numbered in commit order
        tags.lock(userId, tagId).orElseThrow(() -> notFound(tagId));
        tags.touchTasksOf(userId, tagId);
        tags.delete(userId, tagId);
    }

    private static ApiException notFound(UUID tagId) {
        return new ApiException(HttpStatus.NOT_FOUND, "TAG_NOT_FOUND", "There is no tag " + tagId + ".");
    }

    private static ApiException alreadyExists(String name) {
        return new ApiException(HttpStatus.CONFLICT, "TAG_ALREADY_EXISTS", "You already have a tag named '" + name + "'.");
    }
}
