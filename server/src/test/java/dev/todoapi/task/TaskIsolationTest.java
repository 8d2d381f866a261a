package dev.todoapi.task;

import static dev.todoapi.db.jooq.Tables.TAGS;
import static dev.todoapi.db.jooq.Tables.TASKS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
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

/** A second user attacking every task and tag operation by id: 404 each time, nothing changed. */
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

    private static RequestBuilder withToken(RequestBuilder request, TestUser user) {
        return ((org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder) request)
                .header("Authorization", user.bearer());
    }
}
