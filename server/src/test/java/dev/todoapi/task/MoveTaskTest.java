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
    private String newList() throws Exception {
        return body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"L\"}"))).get("id").asString();
    }

    private List<String> displayTitles(String list) throws Exception {
        List<String> titles = new ArrayList<>();
        body(call(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/api/v1/lists/" + list + "/tasks?limit=1000")
                .header("Authorization", ada.bearer()))).get("items").forEach(e -> titles.add(e.get("task").get("title").asString()));
        return titles;
    }

    /**
     * Moving tasks into the same gap again and again would grow keys by a character every six moves or so; the
     * siblings around the gap are re-keyed when a key passes Tasks.REBALANCE_AT, so keys stay short and the order
     * stays exactly what the moves asked for, subtrees included.
     */
    @Test
    void keysStayShortThroughHundredsOfMovesIntoOneGap() throws Exception {
        String list = newList();
        String a = task("{\"title\": \"A\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String x = task("{\"title\": \"X\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String y = task("{\"title\": \"Y\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String b = task("{\"title\": \"B\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        task("{\"title\": \"Y1\", \"parent_id\": \"" + y + "\"}");
        int longest = 0;
        for (int i = 0; i < 400; i++) {
            String moved = i % 2 == 0 ? x : y;
            MvcResult result = move(ada, moved, "{\"after_id\": \"" + a + "\"}");
            assertThat(result.getResponse().getStatus()).isEqualTo(200);
            longest = Math.max(longest, body(result).get("position").asString().length());
            if (i % 50 == 49) {
                assertThat(displayTitles(list)).containsExactly(
                        moved.equals(x) ? new String[] {"A", "X", "Y", "Y1", "B"} : new String[] {"A", "Y", "Y1", "X", "B"});
            }
        }
        assertThat(longest).isLessThanOrEqualTo(Tasks.REBALANCE_AT);
        // Without re-keying, 400 moves into one gap make keys of about 70 characters; the siblings were re-keyed.
        assertThat(db.select(TASKS.POSITION).from(TASKS).where(TASKS.USER_ID.eq(ada.id())).fetch(TASKS.POSITION))
                .allSatisfy(position -> assertThat(position.length()).isLessThanOrEqualTo(Tasks.REBALANCE_AT));
        assertThat(b).isNotNull();
        assertThat(db.select(TASKS.SORT_PATH).from(TASKS).where(TASKS.USER_ID.eq(ada.id()), TASKS.TITLE.eq("Y1")).fetchOne(TASKS.SORT_PATH))
                .isEqualTo(db.select(TASKS.POSITION).from(TASKS).where(TASKS.ID.eq(UUID.fromString(y))).fetchOne(TASKS.POSITION)
                        + "/" + db.select(TASKS.POSITION).from(TASKS).where(TASKS.USER_ID.eq(ada.id()), TASKS.TITLE.eq("Y1")).fetchOne(TASKS.POSITION));
    }

    /** A re-keying that would have to wait for a sibling another transaction holds is put off: the move doesn't wait. */
    @Test
    void aRebalanceNeverWaitsForASiblingHeldElsewhere() throws Exception {
        String list = newList();
        String x = task("{\"title\": \"X\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        // Two neighbours whose gap only fits a long key (as after many moves into it).
        String low = "a0" + "0".repeat(60) + "1";
        String high = "a0" + "0".repeat(60) + "2";
        UUID a = db.insertInto(TASKS, TASKS.USER_ID, TASKS.LIST_ID, TASKS.POSITION, TASKS.SORT_PATH, TASKS.TITLE)
                .values(ada.id(), UUID.fromString(list), low, low, "A").returning(TASKS.ID).fetchSingle().getId();
        UUID b = db.insertInto(TASKS, TASKS.USER_ID, TASKS.LIST_ID, TASKS.POSITION, TASKS.SORT_PATH, TASKS.TITLE)
                .values(ada.id(), UUID.fromString(list), high, high, "B").returning(TASKS.ID).fetchSingle().getId();

        var held = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        var holder = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var holding = holder.submit(() -> db.transaction(tx -> {
                tx.dsl().selectFrom(TASKS).where(TASKS.USER_ID.eq(ada.id()), TASKS.ID.eq(b)).forUpdate().fetch();
                held.countDown();
                release.await();
            }));
            assertThat(held.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            MvcResult moved = move(ada, x, "{\"after_id\": \"" + a + "\"}");
            assertThat(moved.getResponse().getStatus()).isEqualTo(200);
            assertThat(body(moved).get("position").asString()).hasSizeGreaterThan(Tasks.REBALANCE_AT); // put off
            assertThat(getTask(ada, b.toString()).getResponse().getHeader("ETag")).isEqualTo("\"1\"");
            release.countDown();
            holding.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            release.countDown();
            holder.shutdown();
        }
        MvcResult again = move(ada, x, "{\"before_id\": \"" + b + "\"}");
        assertThat(body(again).get("position").asString()).hasSizeLessThanOrEqualTo(Tasks.REBALANCE_AT);
        assertThat(displayTitles(list)).containsExactly("A", "X", "B");
    }

    /** Two moves naming each other's task, over and over: they lock in one order, so they never deadlock. */
    @Test
    void opposingConcurrentMovesNeverDeadlock() throws Exception {
        String list = newList();
        String a = task("{\"title\": \"A\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String b = task("{\"title\": \"B\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
        String c = task("{\"title\": \"C\", \"parent_id\": \"" + a + "\"}");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                statuses.add(pool.submit(() -> move(ada, a, "{\"after_id\": \"" + b + "\"}").getResponse().getStatus()));
                statuses.add(pool.submit(() -> move(ada, b, "{\"after_id\": \"" + a + "\"}").getResponse().getStatus()));
                statuses.add(pool.submit(() -> move(ada, c, "{\"parent_id\": \"" + (java.util.concurrent.ThreadLocalRandom.current().nextBoolean() ? a : b) + "\"}")
                        .getResponse().getStatus()));
            }
            for (var status : statuses) {
                assertThat(status.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(displayTitles(list)).hasSize(3);
    }

    /** A move after a sibling racing that sibling's deletion: the move happens first, or finds no sibling (422). */
    @Test
    void aMoveRacingTheDeletionOfItsTargetEitherHappensOrFindsNothing() throws Exception {
        String list = newList();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 15; i++) {
                String target = task("{\"title\": \"S" + i + "\", \"list_id\": \"" + list + "\"}");
                String moved = task("{\"title\": \"T" + i + "\", \"list_id\": \"" + list + "\", \"position\": \"bottom\"}");
                var deleting = pool.submit(() -> call(delete("/api/v1/tasks/" + target).header("Authorization", ada.bearer()))
                        .getResponse().getStatus());
                var moving = pool.submit(() -> move(ada, moved, "{\"after_id\": \"" + target + "\"}"));
                assertThat(deleting.get()).isEqualTo(204);
                MvcResult result = moving.get();
                if (result.getResponse().getStatus() != 200) {
                    assertThat(result.getResponse().getStatus()).isEqualTo(422);
                    assertThat(body(result).get("errors").get(0).get("code").asString()).isEqualTo("TASK_NOT_FOUND");
                }
                assertThat(getTask(ada, moved).getResponse().getStatus()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(displayTitles(list)).hasSize(15);
    }
}
