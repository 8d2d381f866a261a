package dev.todoapi.sync;

import static dev.todoapi.db.jooq.Tables.LISTS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/** POST /api/v1/batch: an offline device's queued writes, in order, with temp ids, idempotent per command. */
class BatchApiTest extends TaskApiTestBase {

    TestUser ada;

    @BeforeEach
    void user() throws Exception {
        ada = register("ada@example.com");
    }

    private MvcResult batch(TestUser user, String body) throws Exception {
        return call(post("/api/v1/batch").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static final String TRIP = """
            {"commands": [
              {"id": "c1", "type": "list.create", "temp_id": "trip", "args": {"name": "Trip"}},
              {"id": "c2", "type": "task.create", "temp_id": "plan", "args": {"title": "Plan the route", "list_id": "trip"}},
              {"id": "c3", "type": "task.create", "temp_id": "train", "args": {"title": "Book the train", "parent_id": "plan"}},
              {"id": "c4", "type": "task.update", "resource_id": "plan", "args": {"priority": "high", "description": null}},
              {"id": "c5", "type": "task.create", "args": {"title": 42}},
              {"id": "c6", "type": "task.complete", "resource_id": "train", "args": {}},
              {"id": "c7", "type": "tag.create", "temp_id": "t", "args": {"name": "travel"}},
              {"id": "c8", "type": "task.move", "resource_id": "train", "args": {"before_id": "plan"}},
              {"id": "c9", "type": "list.update", "resource_id": "trip", "args": {"color": "#22c55e"}}
            ]}""";

    @Test
    void commandsRunInOrderWithTempIdsAndAFailureStopsNothing() throws Exception {
        MvcResult result = batch(ada, TRIP);
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode body = body(result);
        List<String> statuses = new ArrayList<>();
        body.get("results").forEach(r -> statuses.add(r.get("id").asString() + ":" + r.get("status").asInt()));
        assertThat(statuses).containsExactly("c1:201", "c2:201", "c3:201", "c4:200", "c5:422", "c6:200", "c7:201", "c8:200", "c9:200");
        JsonNode results = body.get("results");
        String trip = body.get("temp_ids").get("trip").asString();
        String plan = body.get("temp_ids").get("plan").asString();
        assertThat(results.get(1).get("task").get("list_id").asString()).isEqualTo(trip);
        assertThat(results.get(2).get("task").get("parent_id").asString()).isEqualTo(plan);
        assertThat(results.get(3).get("task").get("priority").asString()).isEqualTo("high");
        assertThat(results.get(4).get("problem").get("code").asString()).isEqualTo("VALIDATION_FAILED");
        assertThat(results.get(5).get("task").get("completed").asBoolean()).isTrue();
        assertThat(results.get(7).get("task").has("parent_id")).as("before its old parent: at the top level").isFalse();
        assertThat(results.get(7).get("task").get("list_id").asString()).isEqualTo(trip);
        assertThat(results.get(8).get("list").get("color").asString()).isEqualTo("#22c55e");
        assertThat(body.get("temp_ids").propertyNames()).containsExactlyInAnyOrder("trip", "plan", "train", "t");
        assertThat(db.fetchCount(TASKS, TASKS.USER_ID.eq(ada.id()))).isEqualTo(2);
    }

    /** The response was lost: the same batch again changes nothing and answers the same, marked replayed. */
    @Test
    void aBatchSentAgainChangesNothingTwiceAndGetsTheSameResults() throws Exception {
        JsonNode first = body(batch(ada, TRIP));
        JsonNode again = body(batch(ada, TRIP));

        assertThat(db.fetchCount(TASKS, TASKS.USER_ID.eq(ada.id()))).isEqualTo(2);
        assertThat(db.fetchCount(LISTS, LISTS.USER_ID.eq(ada.id()))).isEqualTo(2); // the Inbox and Trip, once
        assertThat(again.get("temp_ids")).isEqualTo(first.get("temp_ids"));
        for (int i = 0; i < first.get("results").size(); i++) {
            JsonNode a = first.get("results").get(i);
            JsonNode b = again.get("results").get(i);
            assertThat(b.get("status")).isEqualTo(a.get("status"));
            if (a.get("status").asInt() < 300) {
                assertThat(b.get("replayed").asBoolean()).as(a.get("id").asString()).isTrue();
                for (String kind : List.of("task", "list", "tag")) {
                    assertThat(b.get(kind)).isEqualTo(a.get(kind));
                }
            }
        }
        // A failed command was not applied, so it runs again (and fails again, the same way).
        assertThat(again.get("results").get(4).get("problem").get("code").asString()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void aCommandIdUsedForAnotherCommandAVersionConflictAndDuplicatesAreProblems() throws Exception {
        String task = createTask(ada, "{\"title\": \"Mine\"}").get("id").asString();
        batch(ada, "{\"commands\": [{\"id\": \"x\", \"type\": \"task.update\", \"resource_id\": \"" + task + "\", \"args\": {\"title\": \"A\"}}]}");

        JsonNode reused = body(batch(ada, "{\"commands\": [{\"id\": \"x\", \"type\": \"task.update\", \"resource_id\": \"" + task
                + "\", \"args\": {\"title\": \"B\"}}]}")).get("results").get(0);
        assertThat(reused.get("status").asInt()).isEqualTo(422);
        assertThat(reused.get("problem").get("code").asString()).isEqualTo("COMMAND_ID_REUSED");

        JsonNode stale = body(batch(ada, "{\"commands\": [{\"id\": \"y\", \"type\": \"task.update\", \"resource_id\": \"" + task
                + "\", \"if_version\": 1, \"args\": {\"title\": \"C\"}}]}")).get("results").get(0);
        assertThat(stale.get("status").asInt()).isEqualTo(412);
        assertThat(stale.get("problem").get("code").asString()).isEqualTo("PRECONDITION_FAILED");
        assertThat(stale.get("task").get("title").asString()).as("the current task, to merge with").isEqualTo("A");

        MvcResult duplicate = callBad(post("/api/v1/batch").header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"commands\": [{\"id\": \"z\", \"type\": \"tag.create\", \"args\": {\"name\": \"a\"}},"
                        + " {\"id\": \"z\", \"type\": \"tag.create\", \"args\": {\"name\": \"b\"}}]}"));
        assertThat(duplicate.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(duplicate).get("errors").get(0).get("field").asString()).isEqualTo("commands[1].id");

        JsonNode versionedTag = body(batch(ada, "{\"commands\": [{\"id\": \"v\", \"type\": \"tag.create\", \"if_version\": 1,"
                + " \"args\": {\"name\": \"versioned\"}}]}")).get("results").get(0);
        assertThat(versionedTag.get("status").asInt()).as("tags have no versions to check").isEqualTo(422);
        assertThat(versionedTag.get("problem").get("errors").get(0).get("field").asString()).isEqualTo("if_version");
        assertThat(body(call(get("/api/v1/tags").header("Authorization", ada.bearer()))).get("items").toString())
                .as("nothing created").doesNotContain("versioned");

        JsonNode unknown = body(batch(ada, "{\"commands\": [{\"id\": \"w\", \"type\": \"task.delete\", \"resource_id\": \"nope\"}]}"))
                .get("results").get(0);
        assertThat(unknown.get("status").asInt()).isEqualTo(422);
        assertThat(unknown.get("problem").get("errors").get(0).get("field").asString()).isEqualTo("resource_id");
    }

    /** Another user's ids in a batch are what they are in REST: not found, nothing changed. */
    @Test
    void anotherUsersIdsAreNotFound() throws Exception {
        TestUser bob = register("bob@example.com");
        String adas = createTask(ada, "{\"title\": \"Ada's\"}").get("id").asString();
        JsonNode result = body(batch(bob, "{\"commands\": [{\"id\": \"m\", \"type\": \"task.delete\", \"resource_id\": \"" + adas + "\"},"
                + " {\"id\": \"n\", \"type\": \"task.update\", \"resource_id\": \"" + adas + "\", \"args\": {\"title\": \"pwned\"}}]}"));
        assertThat(result.get("results").get(0).get("status").asInt()).isEqualTo(404);
        assertThat(result.get("results").get(1).get("problem").get("code").asString()).isEqualTo("TASK_NOT_FOUND");
        assertThat(getTask(ada, adas).getResponse().getStatus()).isEqualTo(200);
    }

    /** The batch gives the device's feed token back; the feed from it holds the batch's changes. */
    @Test
    void theSyncTokenContinuesTheFeedWithTheBatchsChanges() throws Exception {
        JsonNode full = body(call(get("/api/v1/sync").header("Authorization", ada.bearer())));
        String token = full.get("sync_token").asString();
        JsonNode response = body(batch(ada, "{\"sync_token\": \"" + token + "\", \"commands\": ["
                + "{\"id\": \"s1\", \"type\": \"task.create\", \"args\": {\"title\": \"Offline\"}}]}"));
        assertThat(response.get("sync_token").asString()).isEqualTo(token);
        JsonNode feed = body(call(get("/api/v1/sync?token=" + token).header("Authorization", ada.bearer())));
        List<String> titles = new ArrayList<>();
        feed.get("changes").forEach(c -> {
            if (c.has("task")) {
                titles.add(c.get("task").get("title").asString());
            }
        });
        assertThat(titles).containsExactly("Offline");

        MvcResult bad = callBad(post("/api/v1/batch").header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"sync_token\": \"forged\", \"commands\": [{\"id\": \"s2\", \"type\": \"tag.create\", \"args\": {\"name\": \"q\"}}]}"));
        assertThat(bad.getResponse().getStatus()).isEqualTo(422);
    }
}
