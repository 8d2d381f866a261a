package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/** Manual order of tasks: new tasks go first (or last), moves by intent, with their subtrees, across lists. */
class MoveTaskTest extends TaskApiTestBase {

    TestUser ada;
    TestUser bob;

    @BeforeEach
    void users() throws Exception {
        ada = register("ada@example.com");
        bob = register("bob@example.com");
    }

    private String task(String json) throws Exception {
        return createTask(ada, json).get("id").asString();
    }

    private MvcResult move(TestUser user, String taskId, String json) throws Exception {
        return call(post("/api/v1/tasks/" + taskId + "/move").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }

    /** Titles of the siblings (list and parent), in manual order; positions distinct. */
    private List<String> order(String query) throws Exception {
        List<JsonNode> tasks = new ArrayList<>();
        list(ada, query + "&limit=1000").get("items").forEach(tasks::add);
        List<String> positions = tasks.stream().map(t -> t.get("position").asString()).toList();
        assertThat(positions).doesNotHaveDuplicates();
        return tasks.stream().sorted(Comparator.comparing(t -> t.get("position").asString()))
                .map(t -> t.get("title").asString()).toList();
    }

    private String inbox() throws Exception {
        return createTask(ada, "{\"title\": \"probe\"}").get("list_id").asString();
    }

    @Test
    void newTasksGoFirstOrLastOnRequest() throws Exception {
        String list = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"L\"}"))).get("id").asString();
        task("{\"title\": \"A\", \"list_id\": \"" + list + "\"}");
        task("{\"title\": \"B\", \"list_id\": \"" + list + "\"}");
        task("{\"title\": \"Z\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        task("{\"title\": \"C\", \"list_id\": \"" + list + "\", \"position\": \"top\"}");

        assertThat(order("list_id=" + list)).containsExactly("C", "B", "A", "Z");
    }

    @Test
    void tasksMoveByIntent() throws Exception {
        String list = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"L\"}"))).get("id").asString();
        String a = task("{\"title\": \"A\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String b = task("{\"title\": \"B\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String c = task("{\"title\": \"C\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String q = "list_id=" + list;

        MvcResult moved = move(ada, a, "{\"after_id\": \"" + c + "\"}");
        assertThat(moved.getResponse().getStatus()).isEqualTo(200);
        assertThat(moved.getResponse().getHeader("ETag")).isEqualTo("\"2\"");
        assertThat(order(q)).containsExactly("B", "C", "A");
        move(ada, a, "{\"before_id\": \"" + c + "\"}");
        assertThat(order(q)).containsExactly("B", "A", "C");
        move(ada, c, "{}");
        assertThat(order(q)).containsExactly("C", "B", "A");
        assertThat(body(move(ada, b, "{\"after_id\": \"" + c + "\"}")).get("id").asString()).as("the id stays").isEqualTo(b);
        assertThat(order(q)).containsExactly("C", "B", "A");
    }

    @Test
    void aTaskMovesWithItsSubtreeUnderAParentOrToAnotherList() throws Exception {
        String inbox = inbox();
        String trip = task("{\"title\": \"Trip\"}");
        String pack = task("{\"title\": \"Pack\"}");
        String socks = task("{\"title\": \"Socks\", \"parent_id\": \"" + pack + "\"}");
        String other = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Travel\"}"))).get("id").asString();

        JsonNode underTrip = body(move(ada, pack, "{\"parent_id\": \"" + trip + "\"}"));
        assertThat(underTrip.get("parent_id").asString()).isEqualTo(trip);
        assertThat(body(getTask(ada, trip)).get("subtask_count").asInt()).isEqualTo(1);

        JsonNode moved = body(move(ada, trip, "{\"list_id\": \"" + other + "\"}"));
        assertThat(moved.get("list_id").asString()).isEqualTo(other);
        assertThat(body(getTask(ada, pack)).get("list_id").asString()).as("the subtree follows").isEqualTo(other);
        assertThat(body(getTask(ada, socks)).get("list_id").asString()).isEqualTo(other);
        assertThat(body(getTask(ada, socks)).get("parent_id").asString()).isEqualTo(pack);
        assertThat(order("list_id=" + inbox)).containsExactly("probe");

        JsonNode toTop = body(move(ada, pack, "{\"list_id\": \"" + inbox + "\"}"));
        assertThat(toTop.has("parent_id")).as("top level of the Inbox").isFalse();
        assertThat(body(getTask(ada, socks)).get("list_id").asString()).isEqualTo(inbox);
    }

    @Test
    void invalidTargetsAreRefusedWithStableCodesAndChangeNothing() throws Exception {
        String l1 = task("{\"title\": \"L1\"}");
        String l2 = task("{\"title\": \"L2\", \"parent_id\": \"" + l1 + "\"}");
        String l3 = task("{\"title\": \"L3\", \"parent_id\": \"" + l2 + "\"}");
        String other = task("{\"title\": \"Other\"}");
        String deep = task("{\"title\": \"D2\", \"parent_id\": \"" + other + "\"}");
        String bobs = createTask(bob, "{\"title\": \"Bob's\"}").get("id").asString();
        long before = db.fetchCount(TASKS);

        assertThat(code(move(ada, l1, "{\"parent_id\": \"" + l3 + "\"}"))).as("under its own subtask").isEqualTo("CYCLE");
        assertThat(body(move(ada, l1, "{\"parent_id\": \"" + l3 + "\"}")).get("errors").get(0).get("code").asString()).isEqualTo("CYCLE");
        assertThat(body(move(ada, l1, "{\"parent_id\": \"" + l1 + "\"}")).get("errors").get(0).get("code").asString()).isEqualTo("CYCLE");
        assertThat(code(move(ada, l1, "{\"parent_id\": \"" + deep + "\"}"))).as("3 levels under level 2").isEqualTo("TOO_DEEP");
        assertThat(body(move(ada, l1, "{\"parent_id\": \"" + bobs + "\"}")).get("errors").get(0).get("code").asString())
                .isEqualTo("TASK_NOT_FOUND");
        assertThat(body(move(ada, l1, "{\"after_id\": \"" + bobs + "\"}")).get("errors").get(0).get("code").asString())
                .isEqualTo("TASK_NOT_FOUND");
        assertThat(body(move(ada, l1, "{\"after_id\": \"" + l2 + "\", \"parent_id\": \"" + other + "\"}")).get("errors").get(0)
                .get("code").asString()).isEqualTo("TARGET_MISMATCH");
        assertThat(body(move(ada, l1, "{\"list_id\": \"" + UUID.randomUUID() + "\"}")).get("errors").get(0).get("code").asString())
                .isEqualTo("LIST_NOT_FOUND");
        assertThat(move(ada, l1, "{\"after_id\": \"" + l2 + "\", \"before_id\": \"" + l3 + "\"}").getResponse().getStatus()).isEqualTo(422);
        assertThat(code(move(ada, bobs, "{}"))).as("another user's task").isEqualTo("TASK_NOT_FOUND");
        MvcResult stale = call(post("/api/v1/tasks/" + l1 + "/move").header("Authorization", ada.bearer()).header("If-Match", "\"7\"")
                .contentType(MediaType.APPLICATION_JSON).content("{}"));
        assertThat(stale.getResponse().getStatus()).isEqualTo(412);

        assertThat(db.fetchCount(TASKS)).isEqualTo(before);
        assertThat(getTask(ada, l1).getResponse().getHeader("ETag")).as("l1 unchanged").isEqualTo("\"1\"");
    }

    @Test
    void manyMovesIntoOneGapAndConcurrentOnesKeepSiblingsDistinct() throws Exception {
        String list = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"L\"}"))).get("id").asString();
        String first = task("{\"title\": \"First\", \"list_id\": \"" + list + "\"}");
        String last = task("{\"title\": \"Last\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            moved.add(task("{\"title\": \"M" + i + "\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}"));
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
        List<String> order = order("list_id=" + list);
        assertThat(order.get(0)).isEqualTo("First");
        assertThat(order.get(order.size() - 1)).isEqualTo("Last");
        assertThat(order).hasSize(18);
        assertThat(last).isNotNull();
    }

    @Test
    void sortByPositionReadsTheManualOrderPageByPage() throws Exception {
        String list = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"L\"}"))).get("id").asString();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(task("{\"title\": \"T" + i + "\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}"));
        }
        String parent = ids.get(0);
        task("{\"title\": \"S1\", \"parent_id\": \"" + parent + "\", \"position\": \"bottom\"}");
        task("{\"title\": \"S0\", \"parent_id\": \"" + parent + "\"}");
        move(ada, ids.get(4), "{}"); // T4 first

        List<String> titles = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = list(ada, "list_id=" + list + "&sort=position&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(task -> {
                if (!task.has("parent_id")) {
                    titles.add(task.get("title").asString());
                }
            });
            cursor = page.has("next_cursor") ? page.get("next_cursor").asString() : null;
        } while (cursor != null);
        assertThat(titles).containsExactly("T4", "T0", "T1", "T2", "T3");
        assertThat(list(ada, "list_id=" + list + "&parent_id=" + parent + "&sort=position").get("items"))
                .extracting(task -> task.get("title").asString()).containsExactly("S0", "S1");

        MvcResult withoutList = call(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .get("/api/v1/tasks?sort=position").header("Authorization", ada.bearer()));
        assertThat(withoutList.getResponse().getStatus()).isEqualTo(422);
    }

    @Test
    void aMoveRacingADeleteFindsNothing() throws Exception {
        String gone = task("{\"title\": \"Gone\"}");
        call(delete("/api/v1/tasks/" + gone).header("Authorization", ada.bearer()));

        assertThat(code(move(ada, gone, "{}"))).isEqualTo("TASK_NOT_FOUND");
    }
}
