package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.db.jooq.tables.records.TasksRecord;
import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/**
 * GET /api/v1/lists/{id}/tasks: a list in display order (each task followed by its subtree, depth-first, siblings in
 * manual order), with depth, status views and keyset pages; and the sort paths behind it staying right through
 * creates, moves, completions and deletes.
 */
class DisplayOrderTest extends TaskApiTestBase {

    TestUser ada;
    TestUser bob;
    String list;

    @BeforeEach
    void setUp() throws Exception {
        ada = register("ada@example.com");
        bob = register("bob@example.com");
        list = newList(ada, "Trip");
    }

    private String newList(TestUser user, String name) throws Exception {
        return body(call(post("/api/v1/lists").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"" + name + "\"}"))).get("id").asString();
    }

    /** Appends a task at the bottom of the list or of a parent's subtasks. */
    private String task(String title, String parentId) throws Exception {
        String place = parentId == null ? "\"list_id\": \"" + list + "\"" : "\"parent_id\": \"" + parentId + "\"";
        return createTask(ada, "{\"title\": \"" + title + "\", " + place + ", \"position\": \"bottom\"}").get("id").asString();
    }

    private MvcResult read(TestUser user, String listId, String query) throws Exception {
        return call(get(URI.create("/api/v1/lists/" + listId + "/tasks" + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", user.bearer()));
    }

    /** Every entry of the list's display order, page by page; "title@depth". */
    private List<String> walk(String listId, String query, int pageSize) throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            String q = "limit=" + pageSize + (query.isEmpty() ? "" : "&" + query) + (cursor == null ? "" : "&cursor=" + cursor);
            MvcResult result = read(ada, listId, q);
            assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
            JsonNode page = body(result);
            assertThat(page.get("items").size()).isLessThanOrEqualTo(pageSize);
            for (JsonNode entry : page.get("items")) {
                seen.add(entry.get("task").get("title").asString() + "@" + entry.get("depth").asInt());
            }
            if (!page.has("next_cursor")) {
                return seen;
            }
            cursor = page.get("next_cursor").asString();
        }
        throw new AssertionError("no last page");
    }

    private MvcResult move(String taskId, String json) throws Exception {
        return call(post("/api/v1/tasks/" + taskId + "/move").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(json));
    }

    @Test
    void aListReadsDepthFirstInManualOrderWithDepthsOnEveryPageSize() throws Exception {
        String a = task("A", null);
        task("A1", a);
        String a2 = task("A2", a);
        task("A2a", a2);
        task("B", null);
        String c = task("C", null);
        task("C1", c);
        createTask(ada, "{\"title\": \"First\", \"list_id\": \"" + list + "\"}"); // default: top of the list

        List<String> expected = List.of("First@0", "A@0", "A1@1", "A2@1", "A2a@2", "B@0", "C@0", "C1@1");
        for (int size : new int[] {1, 2, 3, 50}) {
            assertThat(walk(list, "", size)).as("page size " + size).isEqualTo(expected);
        }
        JsonNode first = body(read(ada, list, "limit=3")).get("items").get(2);
        assertThat(first.get("task").get("title").asString()).isEqualTo("A1");
        assertThat(first.get("task").get("parent_id").asString()).isEqualTo(a);
        assertThat(body(read(ada, list, "limit=2")).get("items").get(1).get("task").get("subtask_count").asInt()).isEqualTo(2);
    }

    @Test
    void thePendingViewHidesCompletedTasksAndEverythingUnderThem() throws Exception {
        String a = task("A", null);
        String a1 = task("A1", a);
        String a1x = task("A1x", a1);
        task("A2", a);
        String b = task("B", null);
        String b1 = task("B1", b);
        task("C", null);

        toggle(ada, a1); // completes A1 and A1x
        toggle(ada, a1x); // reopens A1x under the completed A1: still hidden, its parent is done
        toggle(ada, b); // completes B and B1
        toggle(ada, b1); // reopens B1 under the completed B

        assertThat(walk(list, "status=pending", 2)).containsExactly("A@0", "A2@1", "C@0");
        assertThat(walk(list, "status=completed", 2)).containsExactly("A1@1", "B@0");
        assertThat(walk(list, "status=all", 2)).containsExactly("A@0", "A1@1", "A1x@2", "A2@1", "B@0", "B1@1", "C@0");

        toggle(ada, b); // reopening B shows its reopened subtask again
        assertThat(walk(list, "status=pending", 50)).containsExactly("A@0", "A2@1", "B@0", "B1@1", "C@0");
    }

    @Test
    void movesReorderTheDisplayWithTheirSubtrees() throws Exception {
        String a = task("A", null);
        String a1 = task("A1", a);
        task("A1x", a1);
        String b = task("B", null);
        String other = newList(ada, "Other");

        assertThat(move(a1, "{\"parent_id\": \"" + b + "\"}").getResponse().getStatus()).isEqualTo(200);
        assertThat(walk(list, "", 50)).containsExactly("A@0", "B@0", "A1@1", "A1x@2");

        assertThat(move(a, "{\"after_id\": \"" + b + "\"}").getResponse().getStatus()).isEqualTo(200);
        assertThat(walk(list, "", 50)).containsExactly("B@0", "A1@1", "A1x@2", "A@0");

        assertThat(move(a1, "{\"list_id\": \"" + other + "\"}").getResponse().getStatus()).isEqualTo(200);
        assertThat(walk(list, "", 50)).containsExactly("B@0", "A@0");
        assertThat(walk(other, "", 50)).containsExactly("A1@0", "A1x@1");
        assertSortPathsAreDerived();
    }

    @Test
    void deletingAListIntoAnotherKeepsItsTreesInOrderAfterTheTargetsTasks() throws Exception {
        String target = newList(ada, "Target");
        createTask(ada, "{\"title\": \"T\", \"list_id\": \"" + target + "\"}");
        String a = task("A", null);
        task("A1", a);
        task("B", null);
        MvcResult deleted = call(delete("/api/v1/lists/" + list + "?move_tasks_to=" + target).header("Authorization", ada.bearer()));
        assertThat(deleted.getResponse().getStatus()).isEqualTo(204);

        assertThat(walk(target, "", 2)).containsExactly("T@0", "A@0", "A1@1", "B@0");
        assertSortPathsAreDerived();
    }

    @Test
    void aPageWalkStaysRightWhileTasksAreAddedAndMovedBehindTheCursor() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(task("T" + i, null));
        }
        JsonNode page = body(read(ada, list, "limit=3"));
        task("T6", null); // after the cursor: shown
        createTask(ada, "{\"title\": \"Top\", \"list_id\": \"" + list + "\"}"); // before it: not shown on this walk
        move(ids.get(4), "{\"before_id\": \"" + ids.get(0) + "\"}"); // moved behind the cursor: not shown again
        List<String> rest = new ArrayList<>();
        String cursor = page.get("next_cursor").asString();
        JsonNode next = body(read(ada, list, "limit=50&cursor=" + cursor));
        next.get("items").forEach(e -> rest.add(e.get("task").get("title").asString()));
        assertThat(rest).containsExactly("T3", "T5", "T6");
        assertThat(next.has("next_cursor")).isFalse();
    }

    @Test
    void anotherUsersOrAMissingListIsNotFoundAndAnEmptyListIsAnEmptyPage() throws Exception {
        task("A", null);
        MvcResult asBob = read(bob, list, "");
        assertThat(asBob.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(asBob)).isEqualTo("LIST_NOT_FOUND");
        assertThat(read(ada, UUID.randomUUID().toString(), "").getResponse().getStatus()).isEqualTo(404);

        JsonNode empty = body(read(ada, newList(ada, "Empty"), ""));
        assertThat(empty.get("items").size()).isZero();
        assertThat(empty.has("next_cursor")).isFalse();
    }

    @Test
    void cursorsOfOtherOrdersOrForgedOnesAreRefused() throws Exception {
        task("A", null);
        task("B", null);
        String listCursor = list(ada, "limit=1").get("next_cursor").asString();
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"s\":\"display\",\"k\":\"a0/'; drop\",\"id\":\"00000000-0000-0000-0000-000000000000\"}".getBytes());
        String tooDeep = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"s\":\"display\",\"k\":\"a0/a0/a0/a0/a0\"}".getBytes());
        for (String cursor : List.of(listCursor, forged, tooDeep, "not-a-cursor")) {
            MvcResult refused = read(ada, list, "cursor=" + cursor);
            assertThat(refused.getResponse().getStatus()).as(cursor).isEqualTo(422);
            assertThat(body(refused).get("errors").get(0).get("code").asString()).isEqualTo("INVALID_CURSOR");
        }
    }

    /**
     * Random creates, moves (every intent, across lists), completions and deletes; after each step the display
     * order of both lists equals the order computed here from the tasks' parents and positions, and every stored
     * sort path equals the path of positions from its root.
     */
    @Test
    void randomEditsKeepTheDisplayOrderEqualToTheTreeOfParentsAndPositions() throws Exception {
        Random random = new Random(20261203);
        List<String> lists = List.of(list, newList(ada, "Second"));
        List<String> live = new ArrayList<>();
        for (int step = 0; step < 160; step++) {
            int op = random.nextInt(10);
            String someList = lists.get(random.nextInt(2));
            if (live.isEmpty() || op < 4) {
                String parent = live.isEmpty() || random.nextBoolean() ? null : live.get(random.nextInt(live.size()));
                String place = parent == null ? "\"list_id\": \"" + someList + "\"" : "\"parent_id\": \"" + parent + "\"";
                MvcResult created = call(post("/api/v1/tasks").header("Authorization", ada.bearer())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"t" + step + "\", " + place
                                + (random.nextBoolean() ? ", \"position\": \"bottom\"" : "") + "}"));
                if (created.getResponse().getStatus() == 201) {
                    live.add(body(created).get("id").asString());
                } else {
                    assertThat(code(created)).isIn("TOO_DEEP");
                }
            } else if (op < 8) {
                String moved = live.get(random.nextInt(live.size()));
                String other = live.get(random.nextInt(live.size()));
                String intent = switch (random.nextInt(5)) {
                    case 0 -> "{\"after_id\": \"" + other + "\"}";
                    case 1 -> "{\"before_id\": \"" + other + "\"}";
                    case 2 -> "{\"parent_id\": \"" + other + "\"}";
                    case 3 -> "{\"list_id\": \"" + someList + "\"}";
                    default -> "{}";
                };
                MvcResult result = move(moved, intent);
                if (result.getResponse().getStatus() != 200) {
                    assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(422);
                    assertThat(code(result)).isIn("CYCLE", "TOO_DEEP", "VALIDATION_FAILED");
                }
            } else if (op == 8) {
                toggle(ada, live.get(random.nextInt(live.size())));
            } else {
                String gone = live.get(random.nextInt(live.size()));
                call(delete("/api/v1/tasks/" + gone).header("Authorization", ada.bearer()));
                live.retainAll(db.select(TASKS.ID).from(TASKS).where(TASKS.USER_ID.eq(ada.id())).fetch(TASKS.ID)
                        .stream().map(UUID::toString).toList());
            }
            if (step % 8 == 7 || step == 159) {
                for (String l : lists) {
                    assertThat(walk(l, "", 7)).as("list " + l + " after step " + step).isEqualTo(modelOrder(UUID.fromString(l)));
                }
                assertSortPathsAreDerived();
            }
        }
        assertThat(live).hasSizeGreaterThan(20);
    }

    /** The display order computed from parent ids and positions: depth-first, siblings by position (byte order). */
    private List<String> modelOrder(UUID listId) {
        List<TasksRecord> rows = db.selectFrom(TASKS).where(TASKS.USER_ID.eq(ada.id()), TASKS.LIST_ID.eq(listId)).fetch();
        Map<UUID, List<TasksRecord>> children = new HashMap<>();
        for (TasksRecord row : rows) {
            children.computeIfAbsent(row.getParentId(), k -> new ArrayList<>()).add(row);
        }
        List<String> order = new ArrayList<>();
        addInOrder(children, null, 0, order);
        assertThat(order).hasSameSizeAs(rows); // every task is reachable from the list's top level
        return order;
    }

    private static void addInOrder(Map<UUID, List<TasksRecord>> children, UUID parent, int depth, List<String> order) {
        List<TasksRecord> siblings = new ArrayList<>(children.getOrDefault(parent, List.of()));
        siblings.sort(Comparator.comparing(TasksRecord::getPosition, DisplayOrderTest::bytewise));
        for (TasksRecord task : siblings) {
            order.add(task.getTitle() + "@" + depth);
            addInOrder(children, task.getId(), depth + 1, order);
        }
    }

    private static int bytewise(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Every task's sort path is its parent's path, '/', its position (its position alone at the top level). */
    private void assertSortPathsAreDerived() {
        Map<UUID, TasksRecord> byId = new HashMap<>();
        db.selectFrom(TASKS).where(TASKS.USER_ID.eq(ada.id())).fetch().forEach(t -> byId.put(t.getId(), t));
        for (TasksRecord task : byId.values()) {
            String expected = task.getPosition();
            for (UUID up = task.getParentId(); up != null; up = byId.get(up).getParentId()) {
                assertThat(byId.get(up).getListId()).isEqualTo(task.getListId());
                expected = byId.get(up).getPosition() + "/" + expected;
            }
            assertThat(task.getSortPath()).as(task.getTitle()).isEqualTo(expected);
        }
    }
}
