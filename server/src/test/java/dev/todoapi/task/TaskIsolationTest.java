package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.LISTS;
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
import java.util.List;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import tools.jackson.databind.JsonNode;

/** A second user attacking every task, tag and list operation by id: 404 (or 422 for a target), nothing changed. */
class TaskIsolationTest extends TaskApiTestBase {

    @Test
    void anotherUsersTasksAndTagsDoNotExistForMallory() throws Exception {
        TestUser ada = register("ada@example.com");
        TestUser mallory = register("mallory@example.com");
        JsonNode task = createTask(ada, "{\"title\": \"Secret plan\", \"tags\": [\"private\"]}");
        String taskId = task.get("id").asString();
        String tagId = task.get("tags").get(0).get("id").asString();
        Result<? extends Record> tasksBefore = db.selectFrom(TASKS).fetch();
        Result<? extends Record> tagsBefore = db.selectFrom(TAGS).fetch();

        List<RequestBuilder> taskAttacks = List.of(
                get("/api/v1/tasks/" + taskId),
                put("/api/v1/tasks/" + taskId).contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"pwned\"}"),
                patch("/api/v1/tasks/" + taskId).contentType(MERGE_PATCH).content("{\"title\": \"pwned\"}"),
                patch("/api/v1/tasks/" + taskId + "/complete"),
                delete("/api/v1/tasks/" + taskId));
        for (RequestBuilder attack : taskAttacks) {
            MvcResult result = call(withToken(attack, mallory));
            assertThat(result.getResponse().getStatus()).isEqualTo(404);
            assertThat(code(result)).isEqualTo("TASK_NOT_FOUND");
        }
        List<RequestBuilder> tagAttacks = List.of(
                get("/api/v1/tags/" + tagId),
                patch("/api/v1/tags/" + tagId).contentType(MERGE_PATCH).content("{\"name\": \"pwned\"}"),
                delete("/api/v1/tags/" + tagId));
        for (RequestBuilder attack : tagAttacks) {
            MvcResult result = call(withToken(attack, mallory));
            assertThat(result.getResponse().getStatus()).isEqualTo(404);
            assertThat(code(result)).isEqualTo("TAG_NOT_FOUND");
        }
        // Lists and filters show nothing of Ada's, even by her tag's name.
        assertThat(list(mallory, "").get("items")).isEmpty();
        assertThat(list(mallory, "tag=private").get("items")).isEmpty();
        assertThat(body(call(get("/api/v1/tags").header("Authorization", mallory.bearer()))).get("items")).isEmpty();
        // Creating a task with a tag of the same name makes Mallory her own tag.
        JsonNode own = createTask(mallory, "{\"title\": \"mine\", \"tags\": [\"private\"]}");
        assertThat(own.get("tags").get(0).get("id").asString()).isNotEqualTo(tagId);

        assertThat(db.selectFrom(TASKS).where(TASKS.USER_ID.eq(ada.id())).fetch()).isEqualTo(tasksBefore);
        assertThat(db.selectFrom(TAGS).where(TAGS.USER_ID.eq(ada.id())).fetch()).isEqualTo(tagsBefore);
    }

    /**
     * Every id-taking operation of lists, subtasks and moves, with Ada's ids in Mallory's requests: as the path id
     * 404, as a target in a body or parameter 422 (not one of yours), reads empty; Ada's lists and tasks unchanged.
     */
    @Test
    void anotherUsersListsAndTasksAreNoTargetForMallory() throws Exception {
        TestUser ada = register("ada@example.com");
        TestUser mallory = register("mallory@example.com");
        String adaList = body(call(post("/api/v1/lists").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Secret\"}"))).get("id").asString();
        String adaTask = createTask(ada, "{\"title\": \"Plan\", \"list_id\": \"" + adaList + "\"}").get("id").asString();
        createTask(ada, "{\"title\": \"Step\", \"parent_id\": \"" + adaTask + "\"}");
        String malloryList = body(call(post("/api/v1/lists").header("Authorization", mallory.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"Mine\"}"))).get("id").asString();
        String malloryTask = createTask(mallory, "{\"title\": \"mine\"}").get("id").asString();
        Result<? extends Record> tasksBefore = db.selectFrom(TASKS).where(TASKS.USER_ID.eq(ada.id())).fetch();
        Result<? extends Record> listsBefore = db.selectFrom(LISTS).where(LISTS.USER_ID.eq(ada.id())).fetch();

        List<RequestBuilder> listAttacks = List.of(
                get("/api/v1/lists/" + adaList),
                patch("/api/v1/lists/" + adaList).contentType(MERGE_PATCH).content("{\"name\": \"pwned\"}"),
                post("/api/v1/lists/" + adaList + "/move").contentType(MediaType.APPLICATION_JSON).content("{}"),
                get("/api/v1/lists/" + adaList + "/tasks"),
                delete("/api/v1/lists/" + adaList));
        for (RequestBuilder attack : listAttacks) {
            MvcResult result = call(withToken(attack, mallory));
            assertThat(result.getResponse().getStatus()).isEqualTo(404);
            assertThat(code(result)).isEqualTo("LIST_NOT_FOUND");
        }
        MvcResult moveAdas = call(withToken(post("/api/v1/tasks/" + adaTask + "/move")
                .contentType(MediaType.APPLICATION_JSON).content("{}"), mallory));
        assertThat(moveAdas.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(moveAdas)).isEqualTo("TASK_NOT_FOUND");

        // Ada's ids as targets of Mallory's own writes: 422 naming the field, as for an id that doesn't exist.
        record Target(RequestBuilder request, String field, String code) {}
        List<Target> targets = List.of(
                new Target(post("/api/v1/tasks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"x\", \"list_id\": \"" + adaList + "\"}"), "list_id", "LIST_NOT_FOUND"),
                new Target(post("/api/v1/tasks").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"title\": \"x\", \"parent_id\": \"" + adaTask + "\"}"), "parent_id", "TASK_NOT_FOUND"),
                new Target(post("/api/v1/tasks/" + malloryTask + "/move").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"after_id\": \"" + adaTask + "\"}"), "after_id", "TASK_NOT_FOUND"),
                new Target(post("/api/v1/tasks/" + malloryTask + "/move").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"before_id\": \"" + adaTask + "\"}"), "before_id", "TASK_NOT_FOUND"),
                new Target(post("/api/v1/tasks/" + malloryTask + "/move").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"parent_id\": \"" + adaTask + "\"}"), "parent_id", "TASK_NOT_FOUND"),
                new Target(post("/api/v1/tasks/" + malloryTask + "/move").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"list_id\": \"" + adaList + "\"}"), "list_id", "LIST_NOT_FOUND"),
                new Target(post("/api/v1/lists/" + malloryList + "/move").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"after_id\": \"" + adaList + "\"}"), "after_id", "LIST_NOT_FOUND"),
                new Target(delete("/api/v1/lists/" + malloryList + "?move_tasks_to=" + adaList), "move_tasks_to", "LIST_NOT_FOUND"));
        for (Target target : targets) {
            MvcResult result = call(withToken(target.request(), mallory));
            assertThat(result.getResponse().getStatus()).as(target.field()).isEqualTo(422);
            JsonNode error = body(result).get("errors").get(0);
            assertThat(error.get("field").asString()).isEqualTo(target.field());
            assertThat(error.get("code").asString()).isEqualTo(target.code());
        }
        assertThat(list(mallory, "list_id=" + adaList).get("items")).isEmpty();
        assertThat(list(mallory, "parent_id=" + adaTask).get("items")).isEmpty();

        assertThat(db.selectFrom(TASKS).where(TASKS.USER_ID.eq(ada.id())).fetch()).isEqualTo(tasksBefore);
        assertThat(db.selectFrom(LISTS).where(LISTS.USER_ID.eq(ada.id())).fetch()).isEqualTo(listsBefore);
        assertThat(db.fetchCount(LISTS, LISTS.USER_ID.eq(mallory.id()))).isEqualTo(2); // her list was not deleted
    }

    private static RequestBuilder withToken(RequestBuilder request, TestUser user) {
        return ((org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder) request)
                .header("Authorization", user.bearer());
    }
}
