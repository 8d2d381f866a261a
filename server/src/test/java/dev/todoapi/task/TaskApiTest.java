package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class TaskApiTest extends TaskApiTestBase {

    private TestUser ada;

    @BeforeEach
    void signUp() throws Exception {
        ada = register("ada@example.com");
    }

    @Test
    void createWithDefaults() throws Exception {
        MvcResult result = call(post("/api/v1/tasks").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"  Buy milk  \"}"));

        assertThat(result.getResponse().getStatus()).isEqualTo(201);
        JsonNode task = body(result);
        assertThat(result.getResponse().getHeader("Location")).isEqualTo("/api/v1/tasks/" + task.get("id").asString());
        assertThat(result.getResponse().getHeader("ETag")).isEqualTo("\"1\"");
        assertThat(task.get("title").asString()).isEqualTo("Buy milk");
        assertThat(task.get("user_id").asString()).isEqualTo(ada.id());
        assertThat(task.get("completed").asBoolean()).isFalse();
        assertThat(task.get("priority").asString()).isEqualTo("medium");
        assertThat(task.get("tags")).isEmpty();
        assertThat(task.has("description")).isFalse();
        assertThat(task.has("completed_at")).isFalse();
    }

    @Test
    void createWithEverythingAndTagsByName() throws Exception {
        call(post("/api/v1/tags").header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"Work\", \"color\": \"#3b82f6\"}"));

        JsonNode task = createTask(ada, """
                {"title": "Report", "description": "Q4 numbers", "priority": "high",
                 "due_date": "2026-12-01T17:00:00+01:00", "recurrence_rule": "FREQ=WEEKLY;BYDAY=MO",
                 "tags": ["work", "urgent", "URGENT"]}""");

        assertThat(task.get("priority").asString()).isEqualTo("high");
        assertThat(task.get("description").asString()).isEqualTo("Q4 numbers");
        assertThat(task.get("due_date").asString()).isEqualTo("2026-12-01T16:00:00Z");
        assertThat(task.get("recurrence_rule").asString()).isEqualTo("FREQ=WEEKLY;BYDAY=MO");
        assertThat(task.get("tags")).hasSize(2);
        assertThat(task.get("tags").get(0).get("name").asString()).isEqualTo("urgent");
        assertThat(task.get("tags").get(1).get("name").asString()).isEqualTo("Work");
        assertThat(task.get("tags").get(1).get("color").asString()).isEqualTo("#3b82f6");
        assertThat(db.fetchCount(TAGS)).isEqualTo(2);
    }

    @Test
    void invalidCreatesAreRejectedField() throws Exception {
        String[][] cases = {
            {"{\"title\": \"   \"}", "title"},
            {"{\"title\": \"" + "x".repeat(201) + "\"}", "title"},
            {"{\"title\": \"ok\", \"description\": \"" + "x".repeat(1001) + "\"}", "description"},
            {"{\"title\": \"ok\", \"priority\": \"urgent\"}", "priority"},
            {"{\"title\": \"ok\", \"due_date\": \"2026-12-01T17:00:00\"}", "due_date"},
            {"{\"title\": \"ok\", \"due_date\": \"tomorrow\"}", "due_date"},
            {"{\"title\": \"ok\", \"recurrence_rule\": \"EVERY MONDAY\"}", "recurrence_rule"},
            {"{\"title\": \"ok\", \"tags\": [\"" + "t".repeat(51) + "\"]}", "tags[0]"},
            {"{\"title\": \"ok\", \"tags\": [\" \"]}", "tags[0]"},
            {"{\"title\": \"ok\", \"user_id\": \"someone-else\"}", "user_id"},
            {"{\"title\": \"ok\", \"id\": \"0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b\"}", "id"},
            {"{\"title\": \"ok\", \"created_at\": \"2020-01-01T00:00:00Z\"}", "created_at"},
            {"{}", "title"},
        };
        for (String[] c : cases) {
            MvcResult result = callBad(post("/api/v1/tasks").header("Authorization", ada.bearer())
                    .contentType(MediaType.APPLICATION_JSON).content(c[0]));
            assertThat(result.getResponse().getStatus()).as(c[0]).isEqualTo(422);
            JsonNode problem = body(result);
            assertThat(problem.get("code").asString()).as(c[0]).isEqualTo("VALIDATION_FAILED");
            assertThat(problem.get("errors").get(0).get("field").asString()).as(c[0]).isEqualTo(c[1]);
        }
        StringBuilder many = new StringBuilder("{\"title\": \"ok\", \"tags\": [");
        for (int i = 0; i < 21; i++) {
            many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        MvcResult tooMany = callBad(post("/api/v1/tasks").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(many.append("]}").toString()));
        assertThat(tooMany.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(tooMany).get("errors").get(0).get("field").asString()).isEqualTo("tags");
        assertThat(db.fetchCount(TASKS)).isZero();
    }

    @Test
    void getHasAnETagAndMissingTasksAreNotFound() throws Exception {
        String id = createTitled(ada, "Read").get("id").asString();

        MvcResult found = getTask(ada, id);
        assertThat(found.getResponse().getStatus()).isEqualTo(200);
        assertThat(found.getResponse().getHeader("ETag")).isEqualTo("\"1\"");

        MvcResult missing = getTask(ada, "0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b");
        assertThat(missing.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(missing)).isEqualTo("TASK_NOT_FOUND");

        MvcResult notAUuid = callBad(get("/api/v1/tasks/42").header("Authorization", ada.bearer()));
        assertThat(notAUuid.getResponse().getStatus()).isEqualTo(422);
    }

    @Test
    void putReplacesEverything() throws Exception {
        String id = createTask(ada, "{\"title\": \"Old\", \"description\": \"gone soon\", \"priority\": \"high\", \"tags\": [\"a\"]}")
                .get("id").asString();

        MvcResult result = call(put("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"New\", \"completed\": true, \"tags\": [\"b\"]}"));

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getHeader("ETag")).isEqualTo("\"2\"");
        JsonNode task = body(result);
        assertThat(task.get("title").asString()).isEqualTo("New");
        assertThat(task.has("description")).isFalse();
        assertThat(task.get("priority").asString()).isEqualTo("medium");
        assertThat(task.get("completed").asBoolean()).isTrue();
        assertThat(task.has("completed_at")).isTrue();
        assertThat(task.get("tags").get(0).get("name").asString()).isEqualTo("b");
    }

    @Test
    void staleIfMatchChangesNothing() throws Exception {
        String id = createTitled(ada, "Original").get("id").asString();
        patchTask(ada, id, "{\"title\": \"Second\"}");

        MvcResult stalePut = call(put("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).header("If-Match", "\"1\"")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Lost update\"}"));
        MvcResult stalePatch = call(patch("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).header("If-Match", "\"1\"")
                .contentType(MERGE_PATCH).content("{\"title\": \"Lost update\"}"));
        MvcResult staleToggle = call(patch("/api/v1/tasks/" + id + "/complete").header("Authorization", ada.bearer())
                .header("If-Match", "W/\"2\""));
        MvcResult staleDelete = call(delete("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).header("If-Match", "\"1\""));

        for (MvcResult result : List.of(stalePut, stalePatch, staleToggle, staleDelete)) {
            assertThat(result.getResponse().getStatus()).isEqualTo(412);
            assertThat(code(result)).isEqualTo("PRECONDITION_FAILED");
        }
        JsonNode task = body(getTask(ada, id));
        assertThat(task.get("title").asString()).isEqualTo("Second");
        assertThat(task.get("completed").asBoolean()).isFalse();

        MvcResult current = call(patch("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).header("If-Match", "\"2\"")
                .contentType(MERGE_PATCH).content("{\"title\": \"Third\"}"));
        assertThat(current.getResponse().getStatus()).isEqualTo(200);
        assertThat(call(delete("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).header("If-Match", "*"))
                .getResponse().getStatus()).isEqualTo(204);
    }

    @Test
    void mergePatchSetsClearsAndKeeps() throws Exception {
        String id = createTask(ada, """
                {"title": "Plan", "description": "draft", "priority": "low", "due_date": "2026-12-01T10:00:00Z", "tags": ["x"]}""")
                .get("id").asString();

        MvcResult result = patchTask(ada, id, "{\"description\": null, \"priority\": \"high\", \"completed\": true}");

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode task = body(result);
        assertThat(task.get("title").asString()).isEqualTo("Plan");
        assertThat(task.has("description")).isFalse();
        assertThat(task.get("priority").asString()).isEqualTo("high");
        assertThat(task.get("due_date").asString()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(task.get("completed").asBoolean()).isTrue();
        assertThat(task.has("completed_at")).isTrue();
        assertThat(task.get("tags").get(0).get("name").asString()).isEqualTo("x");

        JsonNode untagged = body(patchTask(ada, id, "{\"tags\": [], \"due_date\": null}"));
        assertThat(untagged.get("tags")).isEmpty();
        assertThat(untagged.has("due_date")).isFalse();

        MvcResult nullTitle = callBad(patch("/api/v1/tasks/" + id).header("Authorization", ada.bearer())
                .contentType(MERGE_PATCH).content("{\"title\": null}"));
        assertThat(nullTitle.getResponse().getStatus()).isEqualTo(422);
        MvcResult plainJson = call(patch("/api/v1/tasks/" + id).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Plain JSON works too\"}"));
        assertThat(body(plainJson).get("title").asString()).isEqualTo("Plain JSON works too");
    }

    @Test
    void toggleFlipsCompletion() throws Exception {
        String id = createTitled(ada, "Flip").get("id").asString();

        JsonNode done = body(toggle(ada, id));
        assertThat(done.get("completed").asBoolean()).isTrue();
        assertThat(done.has("completed_at")).isTrue();
        JsonNode undone = body(toggle(ada, id));
        assertThat(undone.get("completed").asBoolean()).isFalse();
        assertThat(undone.has("completed_at")).isFalse();
        assertThat(toggle(ada, id).getResponse().getHeader("ETag")).isEqualTo("\"4\"");
    }

    @Test
    void deleteIsGoneForGood() throws Exception {
        String id = createTitled(ada, "Temporary", "t").get("id").asString();

        assertThat(call(delete("/api/v1/tasks/" + id).header("Authorization", ada.bearer())).getResponse().getStatus()).isEqualTo(204);
        assertThat(getTask(ada, id).getResponse().getStatus()).isEqualTo(404);
        MvcResult again = call(delete("/api/v1/tasks/" + id).header("Authorization", ada.bearer()));
        assertThat(again.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(again)).isEqualTo("TASK_NOT_FOUND");
        assertThat(db.fetchCount(TAGS)).isEqualTo(1);
    }

    @Test
    void clientsThatAcceptOnlyJsonGetEveryAnswerIncludingErrorsAndNoContent() throws Exception {
        String id = createTitled(ada, "Accept").get("id").asString();

        MvcResult missing = call(get("/api/v1/tasks/0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b")
                .header("Authorization", ada.bearer()).accept(MediaType.APPLICATION_JSON));
        assertThat(missing.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(missing)).isEqualTo("TASK_NOT_FOUND");

        // The validator reads the contract strictly (a 204 has no media type to accept), so only the response is checked.
        MvcResult deleted = callBad(delete("/api/v1/tasks/" + id).header("Authorization", ada.bearer()).accept(MediaType.APPLICATION_JSON));
        assertThat(deleted.getResponse().getStatus()).isEqualTo(204);
    }

    @Test
    void concurrentTogglesLoseNoWrite() throws Exception {
        String id = createTitled(ada, "Contended").get("id").asString();
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                Callable<Integer> toggleOnce = () -> toggle(ada, id).getResponse().getStatus();
                results.add(pool.submit(toggleOnce));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        MvcResult after = getTask(ada, id);
        assertThat(after.getResponse().getHeader("ETag")).isEqualTo("\"" + (writers + 1) + "\"");
        assertThat(body(after).get("completed").asBoolean()).isFalse();
    }

    @Test
    void idempotentCreate() throws Exception {
        String body = "{\"title\": \"Pay rent\", \"tags\": [\"home\"]}";
        MvcResult first = call(post("/api/v1/tasks").header("Authorization", ada.bearer()).header("Idempotency-Key", "rent-2026-12")
                .contentType(MediaType.APPLICATION_JSON).content(body));
        MvcResult retry = call(post("/api/v1/tasks").header("Authorization", ada.bearer()).header("Idempotency-Key", "rent-2026-12")
                .contentType(MediaType.APPLICATION_JSON).content(body));

        assertThat(first.getResponse().getStatus()).isEqualTo(201);
        assertThat(retry.getResponse().getStatus()).isEqualTo(201);
        assertThat(body(retry)).isEqualTo(body(first));
        assertThat(retry.getResponse().getHeader("Location")).isEqualTo(first.getResponse().getHeader("Location"));
        assertThat(retry.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.getResponse().getHeader("ETag")).as("the replay's ETag is the first response's")
                .isEqualTo(first.getResponse().getHeader("ETag")).isNotNull();
        assertThat(db.fetchCount(TASKS)).isEqualTo(1);

        MvcResult reused = call(post("/api/v1/tasks").header("Authorization", ada.bearer()).header("Idempotency-Key", "rent-2026-12")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Something else\"}"));
        assertThat(reused.getResponse().getStatus()).isEqualTo(422);
        assertThat(code(reused)).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(db.fetchCount(TASKS)).isEqualTo(1);

        // Keys are per user.
        TestUser grace = register();
        MvcResult other = call(post("/api/v1/tasks").header("Authorization", grace.bearer()).header("Idempotency-Key", "rent-2026-12")
                .contentType(MediaType.APPLICATION_JSON).content(body));
        assertThat(other.getResponse().getStatus()).isEqualTo(201);
        assertThat(db.fetchCount(TASKS)).isEqualTo(2);
    }

    @Test
    void concurrentRetriesWithOneKeyCreateOneTask() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<MvcResult>> results = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                results.add(pool.submit(() -> call(post("/api/v1/tasks").header("Authorization", ada.bearer())
                        .header("Idempotency-Key", "same").contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Once\"}"))));
            }
            String firstId = null;
            for (Future<MvcResult> result : results) {
                MvcResult r = result.get();
                assertThat(r.getResponse().getStatus()).isEqualTo(201);
                String id = body(r).get("id").asString();
                firstId = firstId == null ? id : firstId;
                assertThat(id).isEqualTo(firstId);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(db.fetchCount(TASKS)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FREQ=DAILY", "RRULE:FREQ=DAILY;INTERVAL=1"})
    void completingADailyTaskCreatesTomorrows(String rule) throws Exception {
        String id = createTask(ada, "{\"title\": \"Stretch\", \"priority\": \"low\", \"due_date\": \"2026-11-23T07:00:00Z\", "
                + "\"recurrence_rule\": \"" + rule + "\", \"tags\": [\"health\"]}").get("id").asString();

        JsonNode done = body(toggle(ada, id));

        JsonNode next = done.get("next_occurrence");
        assertThat(next).isNotNull();
        assertThat(next.get("due_date").asString()).isEqualTo("2026-11-24T07:00:00Z");
        assertThat(next.get("title").asString()).isEqualTo("Stretch");
        assertThat(next.get("priority").asString()).isEqualTo("low");
        assertThat(next.get("completed").asBoolean()).isFalse();
        assertThat(next.get("tags").get(0).get("name").asString()).isEqualTo("health");
        assertThat(db.fetchCount(TASKS)).isEqualTo(2);
        // Un-completing and completing again creates another one; a plain toggle back creates none.
        assertThat(body(toggle(ada, id)).has("next_occurrence")).isFalse();
    }

    @Test
    void weeklyByDayFindsTheNextListedDay() throws Exception {
        // 2026-11-23 is a Monday.
        String id = createTask(ada, "{\"title\": \"Gym\", \"due_date\": \"2026-11-23T18:00:00Z\", "
                + "\"recurrence_rule\": \"FREQ=WEEKLY;BYDAY=MO,TH\"}").get("id").asString();

        JsonNode next = body(patchTask(ada, id, "{\"completed\": true}")).get("next_occurrence");
        assertThat(next.get("due_date").asString()).isEqualTo("2026-11-26T18:00:00Z");

        JsonNode after = body(toggle(ada, next.get("id").asString())).get("next_occurrence");
        assertThat(after.get("due_date").asString()).isEqualTo("2026-11-30T18:00:00Z");
    }

    @Test
    void aRuleWithACountRunsOut() throws Exception {
        String id = createTask(ada, "{\"title\": \"Three times\", \"due_date\": \"2026-11-23T09:00:00Z\", "
                + "\"recurrence_rule\": \"FREQ=DAILY;COUNT=3\"}").get("id").asString();

        JsonNode second = body(toggle(ada, id)).get("next_occurrence");
        assertThat(second.get("recurrence_rule").asString()).contains("COUNT=2");
        JsonNode third = body(toggle(ada, second.get("id").asString())).get("next_occurrence");
        assertThat(third.get("due_date").asString()).isEqualTo("2026-11-25T09:00:00Z");
        JsonNode last = body(toggle(ada, third.get("id").asString()));

        assertThat(last.has("next_occurrence")).isFalse();
        assertThat(db.fetchCount(TASKS)).isEqualTo(3);
    }

    @Test
    void reopeningAndCompletingAgainSpawnsNoSecondOccurrence() throws Exception {
        String id = createTask(ada, "{\"title\": \"Water plants\", \"due_date\": \"2026-11-23T08:00:00Z\", "
                + "\"recurrence_rule\": \"FREQ=DAILY\"}").get("id").asString();

        JsonNode next = body(toggle(ada, id)).get("next_occurrence");
        assertThat(next.get("due_date").asString()).isEqualTo("2026-11-24T08:00:00Z");
        assertThat(body(toggle(ada, id)).get("completed").asBoolean()).isFalse();
        assertThat(body(patchTask(ada, id, "{\"completed\": true}")).has("next_occurrence")).isFalse();
        assertThat(body(toggle(ada, id)).get("completed").asBoolean()).isFalse();
        assertThat(body(toggle(ada, id)).has("next_occurrence")).isFalse();

        assertThat(db.fetchCount(TASKS)).isEqualTo(2);
        // The spawned occurrence recurs in turn, once.
        assertThat(body(toggle(ada, next.get("id").asString())).get("next_occurrence").get("due_date").asString())
                .isEqualTo("2026-11-25T08:00:00Z");
        assertThat(db.fetchCount(TASKS)).isEqualTo(3);
    }

    @Test
    void noDueDateNoNextOccurrence() throws Exception {
        String id = createTask(ada, "{\"title\": \"Someday\", \"recurrence_rule\": \"FREQ=DAILY\"}").get("id").asString();

        assertThat(body(toggle(ada, id)).has("next_occurrence")).isFalse();
        assertThat(db.fetchCount(TASKS)).isEqualTo(1);
    }
}
