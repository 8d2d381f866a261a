package dev.todoapi.testsupport;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/** Helpers for tests of the task and tag operations. */
public abstract class TaskApiTestBase extends ApiTestBase {

    protected static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

    /** Creates a task from a JSON body and returns it; fails unless 201. */
    protected JsonNode createTask(TestUser user, String jsonBody) throws Exception {
        MvcResult result = call(post("/api/v1/tasks").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(jsonBody));
        if (result.getResponse().getStatus() != 201) {
            throw new AssertionError("create failed: " + result.getResponse().getContentAsString());
        }
        return body(result);
    }

    protected JsonNode createTitled(TestUser user, String title, String... tags) throws Exception {
        return createTask(user, json.writeValueAsString(java.util.Map.of("title", title, "tags", java.util.List.of(tags))));
    }

    protected MvcResult getTask(TestUser user, String taskId) throws Exception {
        return call(get("/api/v1/tasks/" + taskId).header("Authorization", user.bearer()));
    }

    protected MvcResult patchTask(TestUser user, String taskId, String mergePatch) throws Exception {
        return call(patch("/api/v1/tasks/" + taskId).header("Authorization", user.bearer())
                .contentType(MERGE_PATCH).content(mergePatch));
    }

    protected MvcResult toggle(TestUser user, String taskId) throws Exception {
        return call(patch("/api/v1/tasks/" + taskId + "/complete").header("Authorization", user.bearer()));
    }

    protected JsonNode list(TestUser user, String query) throws Exception {
        // A URI, not a template: the query is sent exactly as the test encoded it.
        MvcResult result = call(get(java.net.URI.create("/api/v1/tasks" + (query.isEmpty() ? "" : "?" + query)))
                .header("Authorization", user.bearer()));
        if (result.getResponse().getStatus() != 200) {
            throw new AssertionError("list failed: " + result.getResponse().getContentAsString());
        }
        return body(result);
    }

    protected static String code(MvcResult result) throws Exception {
        return new tools.jackson.databind.json.JsonMapper().readTree(result.getResponse().getContentAsString()).get("code").asString();
    }
}
