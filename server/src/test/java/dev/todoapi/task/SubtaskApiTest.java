package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class SubtaskApiTest extends TaskApiTestBase {

    TestUser ada;
    TestUser bob;

    @BeforeEach
    void users() throws Exception {
        ada = register("ada@example.com");
        bob = register("bob@example.com");
    }

    private JsonNode subtask(TestUser user, String parentId, String title) throws Exception {
        return createTask(user, "{\"title\": \"" + title + "\", \"parent_id\": \"" + parentId + "\"}");
    }

    private MvcResult tryCreate(TestUser user, String json) throws Exception {
        return call(post("/api/v1/tasks").header("Authorization", user.bearer()).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    @Test
    void aSubtaskIsInItsParentsListAndCounted() throws Exception {
        JsonNode list = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Trip\"}")));
        String parent = createTask(ada, "{\"title\": \"Pack\", \"list_id\": \"" + list.get("id").asString() + "\"}").get("id").asString();

        JsonNode socks = subtask(ada, parent, "Socks");
        subtask(ada, parent, "Passport");

        assertThat(socks.get("parent_id").asString()).isEqualTo(parent);
        assertThat(socks.get("list_id").asString()).isEqualTo(list.get("id").asString());
        JsonNode parentNow = body(getTask(ada, parent));
        assertThat(parentNow.get("subtask_count").asInt()).isEqualTo(2);
        assertThat(parentNow.get("open_subtask_count").asInt()).isEqualTo(2);
        assertThat(list(ada, "parent_id=" + parent).get("items")).extracting(task -> task.get("title").asString())
                .containsExactlyInAnyOrder("Socks", "Passport");
        toggle(ada, socks.get("id").asString());
        assertThat(body(getTask(ada, parent)).get("open_subtask_count").asInt()).isEqualTo(1);
        assertThat(list(ada, "").get("items")).filteredOn(task -> task.get("id").asString().equals(parent))
                .first().satisfies(task -> assertThat(task.get("subtask_count").asInt()).isEqualTo(2));
    }

    @Test
    void aSubtaskNeedsTheUsersParentInTheSameList() throws Exception {
        String parent = createTask(ada, "{\"title\": \"Pack\"}").get("id").asString();
        String bobsTask = createTask(bob, "{\"title\": \"Bob's\"}").get("id").asString();
        JsonNode other = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Other\"}")));

        MvcResult foreign = tryCreate(ada, "{\"title\": \"x\", \"parent_id\": \"" + bobsTask + "\"}");
        MvcResult mismatch = tryCreate(ada, "{\"title\": \"x\", \"parent_id\": \"" + parent + "\", \"list_id\": \""
                + other.get("id").asString() + "\"}");

        assertThat(foreign.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(foreign).get("errors").get(0).get("code").asString()).isEqualTo("TASK_NOT_FOUND");
        assertThat(body(mismatch).get("errors").get(0).get("code").asString()).isEqualTo("LIST_MISMATCH");
        assertThat(db.fetchCount(TASKS)).isEqualTo(2);
    }

    @Test
    void tasksNestAtMostFourLevels() throws Exception {
        String level1 = createTask(ada, "{\"title\": \"1\"}").get("id").asString();
        String level2 = subtask(ada, level1, "2").get("id").asString();
        String level3 = subtask(ada, level2, "3").get("id").asString();
        String level4 = subtask(ada, level3, "4").get("id").asString();

        MvcResult tooDeep = tryCreate(ada, "{\"title\": \"5\", \"parent_id\": \"" + level4 + "\"}");

        assertThat(tooDeep.getResponse().getStatus()).isEqualTo(422);
        assertThat(code(tooDeep)).isEqualTo("TOO_DEEP");
        assertThat(db.fetchCount(TASKS)).isEqualTo(4);
    }

    @Test
    void atMostAThousandSubtasksPerTask() throws Exception {
        JsonNode parent = createTask(ada, "{\"title\": \"Many\"}");
        var insert = db.insertInto(TASKS, TASKS.USER_ID, TASKS.LIST_ID, TASKS.PARENT_ID, TASKS.POSITION, TASKS.SORT_PATH, TASKS.TITLE);
        var keys = dev.todoapi.order.OrderKeys.between(null, null, 1000);
        for (int i = 0; i < 1000; i++) {
            insert = insert.values(ada.id(), java.util.UUID.fromString(parent.get("list_id").asString()),
                    java.util.UUID.fromString(parent.get("id").asString()), keys.get(i), parent.get("position").asString() + "/" + keys.get(i), "s" + i);
        }
        insert.execute();

        MvcResult refused = tryCreate(ada, "{\"title\": \"one more\", \"parent_id\": \"" + parent.get("id").asString() + "\"}");

        assertThat(code(refused)).isEqualTo("SUBTASK_LIMIT_REACHED");
    }

    @Test
    void completingAParentCompletesItsSubtreeReopeningReopensNone() throws Exception {
        String parent = createTask(ada, "{\"title\": \"Move house\"}").get("id").asString();
        String boxes = subtask(ada, parent, "Boxes").get("id").asString();
        String tape = subtask(ada, boxes, "Tape").get("id").asString();
        String done = subtask(ada, parent, "Already done").get("id").asString();
        toggle(ada, done);
        String doneEtag = getTask(ada, done).getResponse().getHeader("ETag");

        JsonNode completed = body(toggle(ada, parent));

        assertThat(completed.get("completed").asBoolean()).isTrue();
        assertThat(completed.get("open_subtask_count").asInt()).isZero();
        assertThat(body(getTask(ada, boxes)).get("completed").asBoolean()).isTrue();
        assertThat(body(getTask(ada, tape)).get("completed").asBoolean()).isTrue();
        assertThat(getTask(ada, done).getResponse().getHeader("ETag")).as("a completed subtask is left alone").isEqualTo(doneEtag);

        JsonNode reopened = body(toggle(ada, parent));
        assertThat(reopened.get("completed").asBoolean()).isFalse();
        assertThat(body(getTask(ada, boxes)).get("completed").asBoolean()).isTrue();
    }

    @Test
    void deletingAParentDeletesItsSubtree() throws Exception {
        String parent = createTask(ada, "{\"title\": \"Party\", \"tags\": [\"fun\"]}").get("id").asString();
        String cake = subtask(ada, parent, "Cake").get("id").asString();
        subtask(ada, cake, "Candles");
        createTask(ada, "{\"title\": \"Unrelated\"}");

        MvcResult deleted = call(delete("/api/v1/tasks/" + parent).header("Authorization", ada.bearer()));

        assertThat(deleted.getResponse().getStatus()).isEqualTo(204);
        assertThat(db.fetchCount(TASKS)).isEqualTo(1);
    }

    @Test
    void aRecurringParentsNextOccurrenceGetsFreshOpenCopiesOfItsSubtasks() throws Exception {
        String parent = createTask(ada, "{\"title\": \"Weekly review\", \"due_date\": \"2026-11-23T09:00:00Z\", "
                + "\"recurrence_rule\": \"FREQ=WEEKLY\"}").get("id").asString();
        String inbox = subtask(ada, parent, "Empty the inbox").get("id").asString();
        subtask(ada, inbox, "Archive");
        subtask(ada, parent, "Plan the week");

        JsonNode next = body(toggle(ada, parent)).get("next_occurrence");

        assertThat(next.get("subtask_count").asInt()).isEqualTo(2);
        assertThat(next.get("open_subtask_count").asInt()).isEqualTo(2);
        JsonNode copies = list(ada, "parent_id=" + next.get("id").asString()).get("items");
        assertThat(copies).extracting(task -> task.get("title").asString()).containsExactlyInAnyOrder("Empty the inbox", "Plan the week");
        assertThat(copies).allSatisfy(copy -> assertThat(copy.get("completed").asBoolean()).isFalse());
        String inboxCopy = copies.valueStream().filter(c -> c.get("title").asString().equals("Empty the inbox")).findFirst()
                .orElseThrow().get("id").asString();
        assertThat(list(ada, "parent_id=" + inboxCopy).get("items")).extracting(task -> task.get("title").asString())
                .containsExactly("Archive");
        assertThat(db.fetchCount(TASKS)).as("4 tasks and 4 copies").isEqualTo(8);
    }
}
