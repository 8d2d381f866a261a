package dev.todoapi.tag;

import dev.todoapi.api.TagsApi;
import dev.todoapi.api.model.Tag;
import dev.todoapi.api.model.TagCreate;
import dev.todoapi.api.model.TagList;
import dev.todoapi.api.model.TagPatch;
import dev.todoapi.auth.CurrentUser;
import dev.todoapi.web.MergePatch;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TagController implements TagsApi {

    private final Tags tags;
    private final CurrentUser currentUser;

    TagController(Tags tags, CurrentUser currentUser) {
        this.tags = tags;
        this.currentUser = currentUser;
    }

    @Override
    public ResponseEntity<TagList> listTags() {
        return ResponseEntity.ok(new TagList(tags.list(currentUser.id()).stream().map(TagController::tag).toList()));
    }

    @Override
    public ResponseEntity<Tag> createTag(TagCreate body) {
        Tag created = tag(tags.create(currentUser.id(), body.getName(), body.getColor()));
        return ResponseEntity.created(URI.create("/api/v1/tags/" + created.getId())).body(created);
    }

    @Override
    public ResponseEntity<Tag> getTag(UUID tagId) {
        return ResponseEntity.ok(tag(tags.get(currentUser.id(), tagId)));
    }

    @Override
    public ResponseEntity<Tag> updateTag(UUID tagId, TagPatch body) {
        MergePatch patch = MergePatch.current();
        var changes = new Tags.Changes(patch.has("name"), body.getName(), patch.has("color"), body.getColor());
        return ResponseEntity.ok(tag(tags.update(currentUser.id(), tagId, changes)));
    }

    @Override
    public ResponseEntity<Void> deleteTag(UUID tagId) {
        tags.delete(currentUser.id(), tagId);
        return ResponseEntity.noContent().build();
    }

    static Tag tag(TagRepository.TagWithCount row) {
        var record = row.tag();
        Tag tag = new Tag(record.getId(), record.getName(), row.openTaskCount(), record.getCreatedAt(), record.getUpdatedAt());
        tag.setColor(record.getColor());
        return tag;
    }
}
