package dev.todoapi.list;

import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class ListApiTest extends TaskApiTestBase {

    TestUser ada;
    TestUser bob;

    @BeforeEach
    void users() throws Exception {
        ada = register("ada@example.com");
        bob = register("bob@example.com");
    }

    private JsonNode lists(TestUser user) throws Exception {
        MvcResult result = call(get("/api/v1/lists").header("Authorization", user.bearer()));
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        return body(result).get("items");
    }

    private MvcResult createList(TestUser user, String json) throws Exception {
        return call(post("/api/v1/lists").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private JsonNode created(TestUser user, String name) throws Exception {
        MvcResult result = createList(user, "{\"name\": \"" + name + "\"}");
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(201);
        return body(result);
    }

    private String inbox(TestUser user) throws Exception {
        return lists(user).get(0).get("id").asString();
    }

    @Test
    void everyUserStartsWithOneDefaultListTheInbox() throws Exception {
        JsonNode lists = lists(ada);

        assertThat(lists).hasSize(1);
        assertThat(lists.get(0).get("name").asString()).isEqualTo("Inbox");
        assertThat(lists.get(0).get("is_default").asBoolean()).isTrue();
        assertThat(lists.get(0).get("task_count").asInt()).isZero();
        assertThat(db.fetchCount(LISTS)).as("Ada's and Bob's").isEqualTo(2);
    }

    @Test
    void newListsGoLastAndComeInManualOrder() throws Exception {
        JsonNode groceries = created(ada, "  Groceries ");
        JsonNode work = created(ada, "Work");

        assertThat(groceries.get("name").asString()).isEqualTo("Groceries");
        assertThat(groceries.get("is_default").asBoolean()).isFalse();
        List<String> names = new ArrayList<>();
        List<String> positions = new ArrayList<>();
        lists(ada).forEach(list -> {
            names.add(list.get("name").asString());
            positions.add(list.get("position").asString());
        });
        assertThat(names).containsExactly("Inbox", "Groceries", "Work");
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(work.get("position").asString()).isGreaterThan(groceries.get("position").asString());
    }

    @Test
    void tasksGoToTheInboxUnlessAListIsNamed() throws Exception {
        String groceries = created(ada, "Groceries").get("id").asString();

        JsonNode inInbox = createTask(ada, "{\"title\": \"Call mum\"}");
        JsonNode milk = createTask(ada, "{\"title\": \"Milk\", \"list_id\": \"" + groceries + "\"}");

        assertThat(inInbox.get("list_id").asString()).isEqualTo(inbox(ada));
        assertThat(milk.get("list_id").asString()).isEqualTo(groceries);
        assertThat(list(ada, "list_id=" + groceries).get("items")).extracting(task -> task.get("title").asString())
                .containsExactly("Milk");
        JsonNode counted = body(call(get("/api/v1/lists/" + groceries).header("Authorization", ada.bearer())));
        assertThat(counted.get("task_count").asInt()).isEqualTo(1);
        assertThat(counted.get("open_task_count").asInt()).isEqualTo(1);
        toggle(ada, milk.get("id").asString());
        assertThat(body(call(get("/api/v1/lists/" + groceries).header("Authorization", ada.bearer())))
                .get("open_task_count").asInt()).isZero();
    }

    @Test
    void aTaskCanOnlyGoToOneOfTheUsersLists() throws Exception {
        String bobsList = created(bob, "Bob's").get("id").asString();

        for (String listId : List.of(bobsList, UUID.randomUUID().toString())) {
            MvcResult refused = call(post("/api/v1/tasks").header("Authorization", ada.bearer())
                    .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"x\", \"list_id\": \"" + listId + "\"}"));
            assertThat(refused.getResponse().getStatus()).isEqualTo(422);
            assertThat(body(refused).get("errors").get(0).get("code").asString()).isEqualTo("LIST_NOT_FOUND");
        }
        assertThat(db.fetchCount(TASKS)).isZero();
    }

    @Test
    void renameRecolorWithIfMatch() throws Exception {
        MvcResult createdList = createList(ada, "{\"name\": \"Groceries\", \"color\": \"#22c55e\"}");
        String id = body(createdList).get("id").asString();
        String etag = createdList.getResponse().getHeader("ETag");
        assertThat(etag).isEqualTo("\"1\"");

        MvcResult renamed = call(patch("/api/v1/lists/" + id).header("Authorization", ada.bearer()).header("If-Match", etag)
                .contentType(MERGE_PATCH).content("{\"name\": \"Shopping\", \"color\": null}"));
        assertThat(renamed.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(renamed).get("name").asString()).isEqualTo("Shopping");
        assertThat(body(renamed).has("color")).isFalse();
        assertThat(renamed.getResponse().getHeader("ETag")).isEqualTo("\"2\"");

        MvcResult stale = call(patch("/api/v1/lists/" + id).header("Authorization", ada.bearer()).header("If-Match", etag)
                .contentType(MERGE_PATCH).content("{\"name\": \"Again\"}"));
        assertThat(stale.getResponse().getStatus()).isEqualTo(412);
        assertThat(body(call(get("/api/v1/lists/" + id).header("Authorization", ada.bearer()))).get("name").asString())
                .isEqualTo("Shopping");

        MvcResult blank = call(patch("/api/v1/lists/" + id).header("Authorization", ada.bearer())
                .contentType(MERGE_PATCH).content("{\"name\": \"   \"}"));
        assertThat(blank.getResponse().getStatus()).isEqualTo(422);
    }

    @Test
    void theInboxCanBeRenamedNotDeleted() throws Exception {
        String inbox = inbox(ada);

        MvcResult renamed = call(patch("/api/v1/lists/" + inbox).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Eingang\"}"));
        MvcResult deleted = call(delete("/api/v1/lists/" + inbox).header("Authorization", ada.bearer()));

        assertThat(body(renamed).get("name").asString()).isEqualTo("Eingang");
        assertThat(deleted.getResponse().getStatus()).isEqualTo(409);
        assertThat(code(deleted)).isEqualTo("DEFAULT_LIST");
        assertThat(lists(ada)).hasSize(1);
    }

    @Test
    void deletingAListDeletesItsTasksOrMovesThemFirst() throws Exception {
        String groceries = created(ada, "Groceries").get("id").asString();
        String work = created(ada, "Work").get("id").asString();
        createTask(ada, "{\"title\": \"Milk\", \"list_id\": \"" + groceries + "\", \"tags\": [\"shop\"]}");
        String report = createTask(ada, "{\"title\": \"Report\", \"list_id\": \"" + work + "\"}").get("id").asString();

        String sub = createTask(ada, "{\"title\": \"Figures\", \"parent_id\": \"" + report + "\"}").get("id").asString();
        createTask(ada, "{\"title\": \"Eggs\", \"list_id\": \"" + groceries + "\"}");
        createTask(ada, "{\"title\": \"Slides\", \"list_id\": \"" + work + "\"}");
        MvcResult moved = call(delete("/api/v1/lists/" + work + "?move_tasks_to=" + groceries).header("Authorization", ada.bearer()));
        assertThat(moved.getResponse().getStatus()).isEqualTo(204);
        JsonNode reportNow = body(getTask(ada, report));
        assertThat(reportNow.get("list_id").asString()).isEqualTo(groceries);
        assertThat(getTask(ada, report).getResponse().getHeader("ETag")).as("a moved task changed").isNotEqualTo("\"1\"");
        assertThat(body(getTask(ada, sub)).get("list_id").asString()).as("with its subtasks").isEqualTo(groceries);
        List<String> order = new ArrayList<>();
        list(ada, "list_id=" + groceries + "&limit=100").get("items").valueStream()
                .filter(task -> !task.has("parent_id"))
                .sorted(java.util.Comparator.comparing(task -> task.get("position").asString()))
                .forEach(task -> order.add(task.get("title").asString()));
        assertThat(order).as("the moved tasks come after the list's own, in their order").containsExactly("Eggs", "Milk", "Slides", "Report");

        MvcResult deleted = call(delete("/api/v1/lists/" + groceries).header("Authorization", ada.bearer()));
        assertThat(deleted.getResponse().getStatus()).isEqualTo(204);
        assertThat(db.fetchCount(TASKS)).isZero();
        assertThat(lists(ada)).hasSize(1);
    }

    @Test
    void moveTasksToMustBeAnotherOfTheUsersLists() throws Exception {
        String groceries = created(ada, "Groceries").get("id").asString();
        createTask(ada, "{\"title\": \"Milk\", \"list_id\": \"" + groceries + "\"}");
        String bobsList = created(bob, "Bob's").get("id").asString();

        for (String target : List.of(groceries, bobsList, UUID.randomUUID().toString())) {
            MvcResult refused = call(delete("/api/v1/lists/" + groceries + "?move_tasks_to=" + target)
                    .header("Authorization", ada.bearer()));
            assertThat(refused.getResponse().getStatus()).isEqualTo(422);
            assertThat(body(refused).get("errors").get(0).get("field").asString()).isEqualTo("move_tasks_to");
        }
        assertThat(db.fetchCount(TASKS)).as("nothing deleted").isEqualTo(1);
    }

    @Test
    void anotherUsersListIsNotFoundAndUnchanged() throws Exception {
        String bobs = created(bob, "Bob's").get("id").asString();

        assertThat(code(call(get("/api/v1/lists/" + bobs).header("Authorization", ada.bearer())))).isEqualTo("LIST_NOT_FOUND");
        assertThat(code(call(patch("/api/v1/lists/" + bobs).header("Authorization", ada.bearer())
                .contentType(MERGE_PATCH).content("{\"name\": \"Mine\"}")))).isEqualTo("LIST_NOT_FOUND");
        assertThat(code(call(delete("/api/v1/lists/" + bobs).header("Authorization", ada.bearer())))).isEqualTo("LIST_NOT_FOUND");
        assertThat(lists(bob)).extracting(list -> list.get("name").asString()).containsExactly("Inbox", "Bob's");
        assertThat(list(ada, "list_id=" + bobs).get("items")).isEmpty();
    }

    private MvcResult move(TestUser user, String listId, String json) throws Exception {
        return call(post("/api/v1/lists/" + listId + "/move").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private List<String> names(TestUser user) throws Exception {
        List<String> names = new ArrayList<>();
        List<String> positions = new ArrayList<>();
        lists(user).forEach(list -> {
            names.add(list.get("name").asString());
            positions.add(list.get("position").asString());
        });
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        return names;
    }

    @Test
    void listsMoveByIntentAfterBeforeOrFirst() throws Exception {
        String inbox = inbox(ada);
        String a = created(ada, "A").get("id").asString();
        String b = created(ada, "B").get("id").asString();
        String c = created(ada, "C").get("id").asString();

        assertThat(body(move(ada, c, "{\"after_id\": \"" + inbox + "\"}")).get("name").asString()).isEqualTo("C");
        assertThat(names(ada)).containsExactly("Inbox", "C", "A", "B");
        move(ada, inbox, "{\"before_id\": \"" + b + "\"}");
        assertThat(names(ada)).containsExactly("C", "A", "Inbox", "B");
        move(ada, b, "{}");
        assertThat(names(ada)).containsExactly("B", "C", "A", "Inbox");
        move(ada, b, "{\"after_id\": \"" + inbox + "\"}");
        assertThat(names(ada)).containsExactly("C", "A", "Inbox", "B");
        MvcResult again = move(ada, a, "{\"after_id\": \"" + c + "\"}");
        assertThat(again.getResponse().getStatus()).as("already there: still a valid move").isEqualTo(200);
        assertThat(names(ada)).containsExactly("C", "A", "Inbox", "B");
    }

    @Test
    void manyMovesIntoOneGapKeepKeysUniqueAndOrdered() throws Exception {
        String first = created(ada, "First").get("id").asString();
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            moved.add(created(ada, "L" + i).get("id").asString());
        }
        for (String id : moved) {
            assertThat(move(ada, id, "{\"after_id\": \"" + first + "\"}").getResponse().getStatus()).isEqualTo(200);
        }
        List<String> expected = new ArrayList<>(List.of("Inbox", "First"));
        for (int i = 29; i >= 0; i--) {
            expected.add("L" + i);
        }
        assertThat(names(ada)).containsExactlyElementsOf(expected);
    }

    @Test
    void concurrentMovesIntoOneGapAllSucceedWithDistinctKeys() throws Exception {
        String first = created(ada, "First").get("id").asString();
        created(ada, "Last");
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            moved.add(created(ada, "M" + i).get("id").asString());
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (String id : moved) {
                statuses.add(pool.submit(() -> move(ada, id, "{\"after_id\": \"" + first + "\"}").getResponse().getStatus()));
            }
            for (var status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        List<String> names = names(ada); // sorted, no duplicate positions
        assertThat(names.subList(0, 2)).containsExactly("Inbox", "First");
        assertThat(names.subList(2, 14)).containsExactlyInAnyOrderElementsOf(
                moved.stream().map(id -> "M" + moved.indexOf(id)).toList());
        assertThat(names.get(14)).isEqualTo("Last");
    }

    @Test
    void invalidMovesAreRefusedAndChangeNothing() throws Exception {
        String a = created(ada, "A").get("id").asString();
        String b = created(ada, "B").get("id").asString();
        String bobs = created(bob, "Bob's").get("id").asString();

        for (String json : List.of("{\"after_id\": \"" + a + "\"}", "{\"after_id\": \"" + bobs + "\"}",
                "{\"before_id\": \"" + UUID.randomUUID() + "\"}", "{\"after_id\": \"" + b + "\", \"before_id\": \"" + b + "\"}")) {
            MvcResult refused = move(ada, a, json);
            assertThat(refused.getResponse().getStatus()).as(json).isEqualTo(422);
        }
        assertThat(code(move(ada, bobs, "{}"))).isEqualTo("LIST_NOT_FOUND");
        MvcResult stale = call(post("/api/v1/lists/" + a + "/move").header("Authorization", ada.bearer()).header("If-Match", "\"9\"")
                .contentType(MediaType.APPLICATION_JSON).content("{}"));
        assertThat(stale.getResponse().getStatus()).isEqualTo(412);
        assertThat(names(ada)).containsExactly("Inbox", "A", "B");
        assertThat(names(bob)).containsExactly("Inbox", "Bob's");
    }

    @Test
    void atMostAThousandListsPerUser() throws Exception {
        var insert = db.insertInto(LISTS, LISTS.USER_ID, LISTS.NAME, LISTS.POSITION);
        List<String> positions = dev.todoapi.order.OrderKeys.between(lists(ada).get(0).get("position").asString(), null, 999);
        for (String position : positions) {
            insert = insert.values(ada.id(), "List", position);
        }
        insert.execute();

        MvcResult refused = createList(ada, "{\"name\": \"One more\"}");

        assertThat(refused.getResponse().getStatus()).isEqualTo(422);
        assertThat(code(refused)).isEqualTo("LIST_LIMIT_REACHED");
        assertThat(lists(ada)).hasSize(1000);
    }
}
