package dev.todoapi.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/** The trash: deleted tasks and lists listed newest first, restored with their ids and places, or purged. */
class TrashApiTest extends TaskApiTestBase {

    TestUser ada;

    @BeforeEach
    void user() throws Exception {
        ada = register("ada@example.com");
    }

    private String newList(String name) throws Exception {
        return body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"" + name + "\"}"))).get("id").asString();
    }

    private int remove(String path) throws Exception {
        return call(delete(path).header("Authorization", ada.bearer())).getResponse().getStatus();
    }

    private MvcResult restore(TestUser user, String type, String id) throws Exception {
        return call(post("/api/v1/trash/" + type + "/" + id + "/restore").header("Authorization", user.bearer()));
    }

    private JsonNode trash(String query) throws Exception {
        return body(call(get(URI.create("/api/v1/trash" + query)).header("Authorization", ada.bearer())));
    }

    private List<String> screen(String listId) throws Exception {
        List<String> titles = new ArrayList<>();
        body(call(get("/api/v1/lists/" + listId + "/tasks").header("Authorization", ada.bearer()))).get("items")
                .forEach(e -> titles.add(e.get("task").get("title").asString() + "@" + e.get("depth").asInt()));
        return titles;
    }

    @Test
    void aDeletedTaskComesBackWithItsSubtreeTagsAndIdsUnderItsParent() throws Exception {
        String list = newList("Trip");
        String plan = createTask(ada, "{\"title\": \"Plan\", \"list_id\": \"" + list + "\"}").get("id").asString();
        String book = createTask(ada, "{\"title\": \"Book\", \"parent_id\": \"" + plan + "\", \"tags\": [\"travel\"]}").get("id").asString();
        String train = createTask(ada, "{\"title\": \"Train\", \"parent_id\": \"" + book + "\"}").get("id").asString();
        assertThat(remove("/api/v1/tasks/" + book)).isEqualTo(204);

        JsonNode item = trash("").get("items").get(0);
        assertThat(item.get("type").asString()).isEqualTo("task");
        assertThat(item.get("id").asString()).isEqualTo(book);
        assertThat(item.get("title").asString()).isEqualTo("Book");
        assertThat(item.get("task_count").asInt()).isEqualTo(2);

        MvcResult restored = restore(ada, "task", book);
        assertThat(restored.getResponse().getStatus()).isEqualTo(200);
        JsonNode task = body(restored).get("task");
        assertThat(task.get("id").asString()).isEqualTo(book);
        assertThat(task.get("parent_id").asString()).isEqualTo(plan);
        assertThat(task.get("tags").get(0).get("name").asString()).isEqualTo("travel");
        assertThat(task.get("subtask_count").asInt()).isEqualTo(1);
        assertThat(getTask(ada, train).getResponse().getStatus()).isEqualTo(200);
        assertThat(screen(list)).containsExactly("Plan@0", "Book@1", "Train@2");
        assertThat(trash("").get("items")).isEmpty();
        assertThat(restore(ada, "task", book).getResponse().getStatus()).isEqualTo(404); // restored already
    }

    @Test
    void withoutItsParentATaskComesBackAtTheTopOfItsListAndWithoutItsListInTheInbox() throws Exception {
        String list = newList("Trip");
        String plan = createTask(ada, "{\"title\": \"Plan\", \"list_id\": \"" + list + "\"}").get("id").asString();
        String book = createTask(ada, "{\"title\": \"Book\", \"parent_id\": \"" + plan + "\"}").get("id").asString();
        String pack = createTask(ada, "{\"title\": \"Pack\", \"list_id\": \"" + list + "\"}").get("id").asString();
        remove("/api/v1/tasks/" + book);
        remove("/api/v1/tasks/" + plan); // the parent is gone now (and in the trash itself)

        JsonNode back = body(restore(ada, "task", book)).get("task");
        assertThat(back.has("parent_id")).isFalse();
        assertThat(back.get("list_id").asString()).isEqualTo(list);
        assertThat(screen(list)).containsExactly("Book@0", "Pack@0");

        remove("/api/v1/tasks/" + pack);
        remove("/api/v1/lists/" + list);
        JsonNode inInbox = body(restore(ada, "task", pack)).get("task");
        assertThat(inInbox.get("list_id").asString()).isNotEqualTo(list);
        assertThat(body(call(get("/api/v1/lists/" + inInbox.get("list_id").asString()).header("Authorization", ada.bearer())))
                .get("is_default").asBoolean()).isTrue();
    }

    @Test
    void aDeletedListComesBackLastWithTheTasksDeletedWithItAndTheFeedSaysSo() throws Exception {
        String list = newList("Trip");
        String plan = createTask(ada, "{\"title\": \"Plan\", \"list_id\": \"" + list + "\", \"tags\": [\"t\"]}").get("id").asString();
        createTask(ada, "{\"title\": \"Book\", \"parent_id\": \"" + plan + "\"}");
        newList("Later");
        String token = body(call(get("/api/v1/sync").header("Authorization", ada.bearer()))).get("sync_token").asString();
        assertThat(remove("/api/v1/lists/" + list)).isEqualTo(204);
        JsonNode trashed = trash("").get("items").get(0);
        assertThat(trashed.get("type").asString()).isEqualTo("list");
        assertThat(trashed.get("task_count").asInt()).isEqualTo(2);

        JsonNode list2 = body(restore(ada, "list", list)).get("list");
        assertThat(list2.get("id").asString()).isEqualTo(list);
        assertThat(list2.get("task_count").asInt()).isEqualTo(2);
        JsonNode lists = body(call(get("/api/v1/lists").header("Authorization", ada.bearer()))).get("items");
        assertThat(lists.get(lists.size() - 1).get("id").asString()).as("last in the order").isEqualTo(list);
        assertThat(screen(list)).containsExactly("Plan@0", "Book@1");
        assertThat(getTask(ada, plan).getResponse().getContentAsString()).contains("\"name\":\"t\"");

        // The feed after the delete and the restore: the list and its tasks as upserts, no tombstone left.
        JsonNode feed = body(call(get("/api/v1/sync?token=" + token).header("Authorization", ada.bearer())));
        List<String> changes = new ArrayList<>();
        feed.get("changes").forEach(c -> changes.add(c.get("op").asString() + " " + c.get("type").asString()));
        assertThat(changes).doesNotContain("delete list", "delete task").contains("upsert list", "upsert task");
    }

    @Test
    void theTrashPagesNewestFirstPurgeIsForGoodAndOthersSeeNothing() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = createTask(ada, "{\"title\": \"T" + i + "\"}").get("id").asString();
            remove("/api/v1/tasks/" + id);
            ids.add(id);
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = trash("?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(i -> seen.add(i.get("title").asString()));
            cursor = page.has("next_cursor") ? page.get("next_cursor").asString() : null;
        } while (cursor != null);
        assertThat(seen).containsExactly("T4", "T3", "T2", "T1", "T0");

        TestUser bob = register("bob@example.com");
        MvcResult foreign = restore(bob, "task", ids.get(0));
        assertThat(foreign.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(foreign)).isEqualTo("TRASH_ITEM_NOT_FOUND");
        assertThat(call(delete("/api/v1/trash/task/" + ids.get(0)).header("Authorization", bob.bearer())).getResponse().getStatus())
                .isEqualTo(404);

        assertThat(remove("/api/v1/trash/task/" + ids.get(0))).isEqualTo(204);
        assertThat(restore(ada, "task", ids.get(0)).getResponse().getStatus()).isEqualTo(404);
        assertThat(trash("").get("items")).hasSize(4);
    }
}
