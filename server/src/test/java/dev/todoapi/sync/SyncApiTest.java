package dev.todoapi.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/**
 * GET /api/v1/sync: full snapshots, incremental pages with tombstones, counts kept exact, expired and forged tokens,
 * and the property the feed exists for: a replica that applies the pages in order equals the server's state, with
 * many writers racing the reader.
 */
class SyncApiTest extends TaskApiTestBase {

    /** A replica of one user's data as the feed delivers it: "type:id" to the resource's JSON. */
    final class Replica {
        final TestUser user;
        final Map<String, JsonNode> state = new HashMap<>();
        String token;

        Replica(TestUser user) {
            this.user = user;
        }

        /** Follows the feed until a page says nothing more; returns the number of changes applied. */
        int pull(int limit) throws Exception {
            int applied = 0;
            for (int pages = 0; pages < 100_000; pages++) {
                MvcResult result = sync(user, token, limit);
                assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(200);
                JsonNode page = body(result);
                for (JsonNode change : page.get("changes")) {
                    String key = change.get("type").asString() + ":" + change.get("id").asString();
                    if (change.get("op").asString().equals("delete")) {
                        state.remove(key);
                    } else {
                        JsonNode resource = change.get(change.get("type").asString());
                        assertThat(resource).as("upsert of " + key + " carries the resource").isNotNull();
                        state.put(key, resource);
                    }
                    applied++;
                }
                token = page.get("sync_token").asString();
                if (!page.get("has_more").asBoolean()) {
                    return applied;
                }
            }
            throw new AssertionError("the feed never ended");
        }
    }

    private MvcResult sync(TestUser user, String token, int limit) throws Exception {
        String query = "limit=" + limit + (token == null ? "" : "&token=" + token);
        return call(get(URI.create("/api/v1/sync?" + query)).header("Authorization", user.bearer()));
    }

    /** What the REST operations say the user has now, keyed like the replica. */
    private Map<String, JsonNode> serverState(TestUser user) throws Exception {
        Map<String, JsonNode> state = new HashMap<>();
        for (JsonNode list : body(call(get("/api/v1/lists").header("Authorization", user.bearer()))).get("items")) {
            state.put("list:" + list.get("id").asString(), list);
        }
        for (JsonNode tag : body(call(get("/api/v1/tags").header("Authorization", user.bearer()))).get("items")) {
            state.put("tag:" + tag.get("id").asString(), tag);
        }
        String cursor = null;
        do {
            JsonNode page = list(user, "limit=1000" + (cursor == null ? "" : "&cursor=" + cursor));
            for (JsonNode task : page.get("items")) {
                state.put("task:" + task.get("id").asString(), task);
            }
            cursor = page.has("next_cursor") ? page.get("next_cursor").asString() : null;
        } while (cursor != null);
        return state;
    }

    private String newList(TestUser user, String name) throws Exception {
        return body(call(post("/api/v1/lists").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"" + name + "\"}"))).get("id").asString();
    }

    @Test
    void aFullSyncPageByPageHoldsEverythingAndAnIncrementalOneHasTheChangesAndTombstones() throws Exception {
        TestUser ada = register("ada@example.com");
        TestUser bob = register("bob@example.com");
        String trip = newList(ada, "Trip");
        String plan = createTask(ada, "{\"title\": \"Plan\", \"list_id\": \"" + trip + "\", \"tags\": [\"travel\"]}").get("id").asString();
        String sub = createTask(ada, "{\"title\": \"Book\", \"parent_id\": \"" + plan + "\"}").get("id").asString();
        for (int i = 0; i < 7; i++) {
            createTask(ada, "{\"title\": \"T" + i + "\"}");
        }
        createTask(bob, "{\"title\": \"Bob's\"}");

        Replica replica = new Replica(ada);
        replica.pull(3);
        assertThat(replica.state).isEqualTo(serverState(ada)); // 2 lists, 1 tag, 9 tasks, nothing of Bob's
        assertThat(replica.state).hasSize(12);

        // Nothing changed: an empty page, the same state.
        assertThat(replica.pull(3)).isZero();

        patchTask(ada, sub, "{\"completed\": true}"); // the parent's open_subtask_count and the list's counts change
        call(delete("/api/v1/tasks/" + plan).header("Authorization", ada.bearer())); // the subtree goes
        int applied = replica.pull(100);
        assertThat(replica.state).isEqualTo(serverState(ada));
        assertThat(replica.state).doesNotContainKeys("task:" + plan, "task:" + sub);
        assertThat(applied).as("tombstones for both tasks, the list and the tag with new counts").isEqualTo(4);

        call(delete("/api/v1/lists/" + trip).header("Authorization", ada.bearer()));
        replica.pull(100);
        assertThat(replica.state).isEqualTo(serverState(ada));
        assertThat(replica.state).doesNotContainKey("list:" + trip);
    }

    @Test
    void countsInOtherResourcesFollowTheirTasks() throws Exception {
        TestUser ada = register("ada@example.com");
        String a = newList(ada, "A");
        String b = newList(ada, "B");
        String parent = createTask(ada, "{\"title\": \"P\", \"list_id\": \"" + a + "\"}").get("id").asString();
        String child = createTask(ada, "{\"title\": \"C\", \"parent_id\": \"" + parent + "\", \"tags\": [\"x\"]}").get("id").asString();
        String other = createTask(ada, "{\"title\": \"O\", \"list_id\": \"" + a + "\", \"tags\": [\"y\"]}").get("id").asString();
        Replica replica = new Replica(ada);
        replica.pull(50);

        List<Runnable> steps = List.of(
                () -> move(ada, child, "{\"list_id\": \"" + b + "\"}"),       // P's subtask count, both lists
                () -> patchTask(ada, other, "{\"tags\": [\"x\"]}"),           // y loses its task, x gains one
                () -> toggle(ada, child),                                      // x's open count, B's open count
                () -> call(patch("/api/v1/tags/" + tagId(ada, "x")).header("Authorization", ada.bearer())
                        .contentType(MERGE_PATCH).content("{\"name\": \"ex\"}")), // the tasks embed the tag
                () -> call(delete("/api/v1/tags/" + tagId(ada, "ex")).header("Authorization", ada.bearer())),
                () -> call(delete("/api/v1/lists/" + b + "?move_tasks_to=" + a).header("Authorization", ada.bearer())));
        for (Runnable step : steps) {
            step.run();
            replica.pull(2);
            assertThat(replica.state).isEqualTo(serverState(ada));
        }
    }

    /** A change that no count sees (a title) is one change in the feed: its list and tags are not sent again. */
    @Test
    void anEditThatChangesNoCountIsOneChange() throws Exception {
        TestUser ada = register("ada@example.com");
        String task = createTask(ada, "{\"title\": \"Draft\", \"tags\": [\"a\", \"b\"]}").get("id").asString();
        Replica replica = new Replica(ada);
        replica.pull(50);
        patchTask(ada, task, "{\"title\": \"Final\", \"priority\": \"high\"}");
        assertThat(replica.pull(50)).isEqualTo(1);
        toggle(ada, task); // completing it changes the open counts of its list and both tags
        assertThat(replica.pull(50)).isEqualTo(4);
        assertThat(replica.state).isEqualTo(serverState(ada));
    }

    @Test
    void expiredForgedAndForeignTokensAreRefused() throws Exception {
        TestUser ada = register("ada@example.com");
        Replica replica = new Replica(ada);
        replica.pull(10);
        JsonNode token = json.readTree(java.util.Base64.getUrlDecoder().decode(replica.token));
        String old = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.writeValueAsBytes(
                ((tools.jackson.databind.node.ObjectNode) token).put("t", Instant.now().minusSeconds(31L * 24 * 3600).getEpochSecond())));
        MvcResult expired = sync(ada, old, 10);
        assertThat(expired.getResponse().getStatus()).isEqualTo(410);
        assertThat(code(expired)).isEqualTo("SYNC_TOKEN_EXPIRED");
        assertThat(expired.getResponse().getContentType()).startsWith("application/problem+json");

        for (String forged : List.of("nonsense", java.util.Base64.getUrlEncoder().encodeToString("{\"v\":2}".getBytes()),
                java.util.Base64.getUrlEncoder().encodeToString("{\"v\":1,\"s\":1,\"f\":1,\"t\":1,\"k\":\"user\",\"i\":\"x\"}".getBytes()))) {
            MvcResult refused = sync(ada, forged, 10);
            assertThat(refused.getResponse().getStatus()).as(forged).isEqualTo(422);
            assertThat(body(refused).get("errors").get(0).get("code").asString()).isEqualTo("INVALID_SYNC_TOKEN");
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    TombstonePruning pruning;

    /** Pruning forgets tombstones past the window, and only those. */
    @Test
    void tombstonesPastTheWindowArePruned() throws Exception {
        TestUser ada = register("ada@example.com");
        String gone = createTask(ada, "{\"title\": \"Gone\"}").get("id").asString();
        String recent = createTask(ada, "{\"title\": \"Recent\"}").get("id").asString();
        call(delete("/api/v1/tasks/" + gone).header("Authorization", ada.bearer()));
        call(delete("/api/v1/tasks/" + recent).header("Authorization", ada.bearer()));
        db.update(dev.todoapi.db.jooq.Tables.TOMBSTONES)
                .set(dev.todoapi.db.jooq.Tables.TOMBSTONES.DELETED_AT, java.time.OffsetDateTime.now().minusDays(31))
                .where(dev.todoapi.db.jooq.Tables.TOMBSTONES.ID.eq(java.util.UUID.fromString(gone))).execute();

        assertThat(pruning.prune(java.time.OffsetDateTime.now().minusDays(30))).isEqualTo(1);
        assertThat(db.select(dev.todoapi.db.jooq.Tables.TOMBSTONES.ID).from(dev.todoapi.db.jooq.Tables.TOMBSTONES)
                .fetch(dev.todoapi.db.jooq.Tables.TOMBSTONES.ID)).containsExactly(java.util.UUID.fromString(recent));
    }

    /**
     * The exactness proof: for each of two users, three writers make thousands of random changes (creates, edits,
     * tags, completions of recurring tasks, moves, deletes, lists created, renamed and deleted) while a reader syncs
     * in a loop with small pages; when the writers are done and the reader has caught up, its replica equals the
     * server's state, resource by resource, counts included.
     */
    @Test
    void replicasThatSyncWhileManyWritersWriteEndUpEqualToTheServer() throws Exception {
        List<TestUser> users = List.of(register("ada@example.com"), register("bob@example.com"));
        int writersPerUser = 3;
        // Writers go on until 10,500 writes have been acknowledged (how many requests that takes depends on how the
        // writers interleave: a task one deletes is a 404 for the next), at most 5,000 requests each.
        int target = 10_500;
        int writesPerWriter = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(users.size() * (writersPerUser + 1));
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger acknowledged = new AtomicInteger();
        List<Integer> serverErrors = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> writers = new ArrayList<>();
            List<Future<Replica>> readers = new ArrayList<>();
            for (TestUser user : users) {
                Map<String, Boolean> taskIds = new ConcurrentHashMap<>();
                Map<String, Boolean> listIds = new ConcurrentHashMap<>();
                listIds.put(newList(user, "Work"), true);
                for (int w = 0; w < writersPerUser; w++) {
                    long seed = 31L * w + user.id().hashCode();
                    writers.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int i = 0; i < writesPerWriter && acknowledged.get() < target; i++) {
                            int status = randomWrite(user, random, taskIds, listIds);
                            if (status >= 500) {
                                serverErrors.add(status);
                            } else if (status < 300) {
                                acknowledged.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                readers.add(pool.submit(() -> {
                    Replica replica = new Replica(user);
                    while (writing.get()) {
                        replica.pull(7);
                        Thread.sleep(5); // racing the writers, without taking all the CPU the writers need
                    }
                    replica.pull(50); // catch up with what the last writes did
                    return replica;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(10, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<Replica> reader : readers) {
                Replica replica = reader.get(5, TimeUnit.MINUTES);
                Map<String, JsonNode> server = serverState(replica.user);
                assertThat(replica.state.keySet()).isEqualTo(server.keySet());
                assertThat(replica.state).isEqualTo(server);
            }
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(serverErrors).isEmpty();
        System.out.println("SyncApiTest: " + acknowledged.get() + " acknowledged writes by " + users.size() * writersPerUser
                + " writers; replicas equal to the server");
        assertThat(acknowledged.get()).isGreaterThanOrEqualTo(10_000);
    }

    /** One random write of the user; its HTTP status. */
    private int randomWrite(TestUser user, Random random, Map<String, Boolean> taskIds, Map<String, Boolean> listIds) throws Exception {
        List<String> tasks = new ArrayList<>(taskIds.keySet());
        List<String> lists = new ArrayList<>(listIds.keySet());
        String someTask = tasks.isEmpty() ? null : tasks.get(random.nextInt(tasks.size()));
        String someList = lists.isEmpty() ? null : lists.get(random.nextInt(lists.size()));
        int op = random.nextInt(100);
        MvcResult result;
        if (someTask == null || op < 30) {
            String place = someTask != null && random.nextInt(3) == 0 ? "\"parent_id\": \"" + someTask + "\""
                    : someList != null && random.nextBoolean() ? "\"list_id\": \"" + someList + "\"" : "\"priority\": \"low\"";
            String recurring = random.nextInt(5) == 0 ? ", \"due_date\": \"2026-12-01T08:00:00Z\", \"recurrence_rule\": \"FREQ=DAILY\"" : "";
            result = write(post("/api/v1/tasks").header("Authorization", user.bearer()).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"title\": \"t" + random.nextInt(1000) + "\", " + place + recurring
                            + ", \"tags\": [\"tag" + random.nextInt(6) + "\"]}"));
            if (result.getResponse().getStatus() == 201) {
                taskIds.put(body(result).get("id").asString(), true);
            }
        } else if (op < 45) {
            result = write(patch("/api/v1/tasks/" + someTask).header("Authorization", user.bearer()).contentType(MERGE_PATCH)
                    .content(random.nextBoolean() ? "{\"title\": \"edited " + random.nextInt(1000) + "\"}"
                            : "{\"tags\": [\"tag" + random.nextInt(6) + "\", \"tag" + random.nextInt(6) + "\"]}"));
        } else if (op < 60) {
            result = write(patch("/api/v1/tasks/" + someTask + "/complete").header("Authorization", user.bearer()));
            if (result.getResponse().getStatus() == 200 && body(result).has("next_occurrence")) {
                taskIds.put(body(result).get("next_occurrence").get("id").asString(), true);
            }
        } else if (op < 75 && someList != null) {
            String other = tasks.get(random.nextInt(tasks.size()));
            String intent = switch (random.nextInt(4)) {
                case 0 -> "{\"after_id\": \"" + other + "\"}";
                case 1 -> "{\"parent_id\": \"" + other + "\"}";
                case 2 -> "{\"list_id\": \"" + someList + "\"}";
                default -> "{}";
            };
            result = write(post("/api/v1/tasks/" + someTask + "/move").header("Authorization", user.bearer())
                    .contentType(MediaType.APPLICATION_JSON).content(intent));
        } else if (op < 87) {
            result = write(delete("/api/v1/tasks/" + someTask).header("Authorization", user.bearer()));
            if (result.getResponse().getStatus() == 204) {
                taskIds.remove(someTask);
            }
        } else if (op < 92 || someList == null) {
            result = write(post("/api/v1/lists").header("Authorization", user.bearer()).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"name\": \"L" + random.nextInt(1000) + "\"}"));
            if (result.getResponse().getStatus() == 201) {
                listIds.put(body(result).get("id").asString(), true);
            }
        } else if (op < 96) {
            result = write(patch("/api/v1/lists/" + someList).header("Authorization", user.bearer()).contentType(MERGE_PATCH)
                    .content("{\"name\": \"renamed " + random.nextInt(1000) + "\"}"));
        } else {
            String target = lists.get(random.nextInt(lists.size()));
            boolean keep = random.nextBoolean() && !target.equals(someList);
            result = write(delete("/api/v1/lists/" + someList + (keep ? "?move_tasks_to=" + target : ""))
                    .header("Authorization", user.bearer()));
            if (result.getResponse().getStatus() == 204) {
                listIds.remove(someList);
            }
        }
        return result.getResponse().getStatus();
    }

    /**
     * A writer's request, not checked against the contract (every one of these operations is, in its own tests): the
     * contract validator would make the writers, not the server, the bottleneck of the race this test is about.
     */
    private MvcResult write(org.springframework.test.web.servlet.RequestBuilder request) {
        try {
            return mvc.perform(request).andReturn();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String tagId(TestUser user, String name) {
        try {
            for (JsonNode tag : body(call(get("/api/v1/tags").header("Authorization", user.bearer()))).get("items")) {
                if (tag.get("name").asString().equals(name)) {
                    return tag.get("id").asString();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("no tag " + name);
    }

    private void move(TestUser user, String taskId, String intent) {
        try {
            call(post("/api/v1/tasks/" + taskId + "/move").header("Authorization", user.bearer())
                    .contentType(MediaType.APPLICATION_JSON).content(intent));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected MvcResult patchTask(TestUser user, String taskId, String mergePatch) {
        try {
            return super.patchTask(user, taskId, mergePatch);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected MvcResult toggle(TestUser user, String taskId) {
        try {
            return super.toggle(user, taskId);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected MvcResult call(org.springframework.test.web.servlet.RequestBuilder request) {
        try {
            return super.call(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
