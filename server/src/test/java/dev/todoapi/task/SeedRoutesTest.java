package dev.todoapi.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestIdentityProvider;
import dev.todoapi.testsupport.TestUser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;

/** /api/tasks, the token's user's tasks, as the seed frontends call it. */
class SeedRoutesTest extends TaskApiTestBase {

    private static final String MISSING = "0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b";

    private TestUser ada;

    @BeforeEach
    void signUp() throws Exception {
        ada = register("ada@example.com");
    }

    private MvcResult as(TestUser user, MockHttpServletRequestBuilder request) throws Exception {
        return call(request.header("Authorization", user.bearer()));
    }

    private static MockHttpServletRequestBuilder json(MockHttpServletRequestBuilder request, String body) {
        return request.contentType(MediaType.APPLICATION_JSON).content(body);
    }

    @Test
    void theWholeLifecycle() throws Exception {
        MvcResult created = as(ada, json(post("/api/tasks"), "{\"title\": \"Buy milk\", \"description\": \"Oat\"}"));
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        JsonNode task = body(created);
        String id = task.get("id").asString();
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/api/tasks/" + id);
        assertThat(created.getResponse().getHeader("ETag")).isEqualTo("\"1\"");
        assertThat(task.get("user_id").asString()).isEqualTo(ada.id());
        assertThat(task.get("completed").asBoolean()).isFalse();
        as(ada, json(post("/api/tasks"), "{\"title\": \"Newer\"}"));

        JsonNode all = body(as(ada, get("/api/tasks")));
        assertThat(all.propertyNames()).containsExactly("tasks");
        assertThat(all.get("tasks")).hasSize(2);
        assertThat(all.get("tasks").get(0).get("title").asString()).isEqualTo("Newer");

        MvcResult got = as(ada, get("/api/tasks/" + id));
        assertThat(body(got).get("description").asString()).isEqualTo("Oat");
        assertThat(got.getResponse().getHeader("ETag")).isEqualTo("\"1\"");

        MvcResult replaced = as(ada, json(put("/api/tasks/" + id),
                "{\"title\": \"Buy oat milk\", \"description\": \"2 litres\", \"completed\": true}"));
        assertThat(replaced.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(replaced).get("title").asString()).isEqualTo("Buy oat milk");
        assertThat(body(replaced).get("description").asString()).isEqualTo("2 litres");
        assertThat(body(replaced).get("completed").asBoolean()).isTrue();
        assertThat(body(replaced).has("completed_at")).isTrue();
        assertThat(body(as(ada, get("/api/tasks?status=completed"))).get("tasks")).hasSize(1);
        assertThat(body(as(ada, get("/api/tasks?status=pending"))).get("tasks")).hasSize(1);
        assertThat(body(as(ada, get("/api/tasks?status=all"))).get("tasks")).hasSize(2);

        MvcResult toggled = as(ada, patch("/api/tasks/" + id + "/complete"));
        assertThat(body(toggled).get("completed").asBoolean()).isFalse();
        assertThat(body(as(ada, patch("/api/tasks/" + id + "/complete"))).get("completed").asBoolean()).isTrue();

        assertThat(as(ada, delete("/api/tasks/" + id)).getResponse().getStatus()).isEqualTo(204);
        MvcResult gone = as(ada, get("/api/tasks/" + id));
        assertThat(gone.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo("TASK_NOT_FOUND");
        assertThat(body(gone).get("detail").asString()).isEqualTo("There is no task " + id + ".");
        assertThat(body(as(ada, get("/api/tasks"))).get("tasks")).hasSize(1);
    }

    @Test
    void theseAreTheTasksOfApiV1() throws Exception {
        String seeded = body(as(ada, json(post("/api/tasks"), "{\"title\": \"From the seed frontend\"}"))).get("id").asString();
        String v1 = createTitled(ada, "From the v1 client", "work").get("id").asString();

        JsonNode page = list(ada, "");
        assertThat(page.get("items")).extracting(item -> item.get("id").asString()).containsExactly(v1, seeded);
        assertThat(body(getTask(ada, seeded)).get("title").asString()).isEqualTo("From the seed frontend");

        JsonNode seedList = body(as(ada, get("/api/tasks")));
        assertThat(seedList.get("tasks")).extracting(item -> item.get("id").asString()).containsExactly(v1, seeded);
        assertThat(seedList.get("tasks").get(0).get("tags").get(0).get("name").asString()).isEqualTo("work");

        // A change on one route is the other's too, version (ETag) included.
        as(ada, patch("/api/tasks/" + seeded + "/complete"));
        MvcResult viaV1 = getTask(ada, seeded);
        assertThat(body(viaV1).get("completed").asBoolean()).isTrue();
        assertThat(viaV1.getResponse().getHeader("ETag")).isEqualTo("\"2\"");
        assertThat(body(as(ada, get("/api/" + ada.id() + "/tasks/" + seeded))).get("completed").asBoolean()).isTrue();
    }

    @Test
    void withoutATokenEveryRouteIs401() throws Exception {
        String id = body(as(ada, json(post("/api/tasks"), "{\"title\": \"Ada's\"}"))).get("id").asString();

        for (MockHttpServletRequestBuilder attempt : List.of(
                get("/api/tasks"),
                json(post("/api/tasks"), "{\"title\": \"x\"}"),
                get("/api/tasks/" + id),
                json(put("/api/tasks/" + id), "{\"title\": \"x\"}"),
                delete("/api/tasks/" + id),
                patch("/api/tasks/" + id + "/complete"))) {
            MvcResult result = call(attempt);
            assertThat(result.getResponse().getStatus()).isEqualTo(401);
            assertThat(code(result)).isEqualTo("MISSING_TOKEN");
            assertThat(result.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(body(getTask(ada, id)).get("title").asString()).isEqualTo("Ada's");
    }

    @Test
    void anotherUsersTaskIsNotFound() throws Exception {
        TestUser mallory = register("mallory@example.com");
        String id = body(as(ada, json(post("/api/tasks"), "{\"title\": \"Ada's\"}"))).get("id").asString();

        for (String taskId : List.of(id, MISSING)) {
            for (MockHttpServletRequestBuilder attempt : List.of(
                    get("/api/tasks/" + taskId),
                    json(put("/api/tasks/" + taskId), "{\"title\": \"Mallory's now\", \"completed\": true}"),
                    patch("/api/tasks/" + taskId + "/complete"),
                    delete("/api/tasks/" + taskId))) {
                MvcResult result = as(mallory, attempt);
                assertThat(result.getResponse().getStatus()).isEqualTo(404);
                assertThat(code(result)).isEqualTo("TASK_NOT_FOUND");
                assertThat(body(result).get("detail").asString()).isEqualTo("There is no task " + taskId + ".");
            }
        }
        assertThat(body(as(mallory, get("/api/tasks"))).get("tasks")).isEmpty();
        JsonNode untouched = body(getTask(ada, id));
        assertThat(untouched.get("title").asString()).isEqualTo("Ada's");
        assertThat(untouched.get("completed").asBoolean()).isFalse();
    }

    @Test
    void invalidRequestsAre422NamingTheField() throws Exception {
        String id = body(as(ada, json(post("/api/tasks"), "{\"title\": \"Buy milk\"}"))).get("id").asString();

        MvcResult blank = as(ada, json(post("/api/tasks"), "{\"title\": \"   \"}"));
        assertThat(blank.getResponse().getStatus()).isEqualTo(422);
        assertThat(code(blank)).isEqualTo("VALIDATION_FAILED");
        assertThat(body(blank).get("errors").get(0).get("field").asString()).isEqualTo("title");
        // FastAPI-style clients show only the detail: it names the field.
        assertThat(body(blank).get("detail").asString()).isEqualTo("The request has 1 invalid field: title (must not be blank).");

        MvcResult noTitle = callBad(json(post("/api/tasks"), "{\"description\": \"no title\"}").header("Authorization", ada.bearer()));
        assertThat(noTitle.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(noTitle).get("errors").get(0).get("field").asString()).isEqualTo("title");
        assertThat(body(noTitle).get("errors").get(0).get("code").asString()).isEqualTo("REQUIRED");
        assertThat(body(noTitle).get("detail").asString()).startsWith("The request has 1 invalid field: title (");

        MvcResult tooLong = callBad(json(put("/api/tasks/" + id), "{\"title\": \"" + "x".repeat(201) + "\"}")
                .header("Authorization", ada.bearer()));
        assertThat(tooLong.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(tooLong).get("errors").get(0).get("code").asString()).isEqualTo("TOO_LONG");

        MvcResult wrongType = callBad(json(put("/api/tasks/" + id), "{\"title\": \"x\", \"completed\": \"yes\"}")
                .header("Authorization", ada.bearer()));
        assertThat(wrongType.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(wrongType).get("errors").get(0).get("field").asString()).isEqualTo("completed");
        assertThat(body(wrongType).get("errors").get(0).get("code").asString()).isEqualTo("INVALID_TYPE");

        MvcResult badStatus = callBad(get("/api/tasks?status=done").header("Authorization", ada.bearer()));
        assertThat(badStatus.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(badStatus).get("errors").get(0).get("field").asString()).isEqualTo("status");

        MvcResult badId = callBad(get("/api/tasks/not-a-uuid").header("Authorization", ada.bearer()));
        assertThat(badId.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(badId).get("errors").get(0).get("field").asString()).isEqualTo("task_id");
        assertThat(body(badId).get("detail").asString())
                .isEqualTo("The request has 1 invalid field: task_id ('not-a-uuid' is not a valid value).");

        assertThat(body(as(ada, get("/api/tasks/" + id))).get("title").asString()).isEqualTo("Buy milk");
    }

    /**
     * Subjects of external issuers can be any string, so "tasks" and "auth" are possible user ids. Every
     * request still reaches one route, never an ambiguous one: literal segments win, left to right, so
     * /api/tasks/{task_id} wins over /api/{user_id}/tasks for /api/tasks/tasks; all other routes of such a user
     * are unambiguous.
     */
    @Test
    void userIdsThatLookLikeRouteSegments() throws Exception {
        for (String subject : List.of("tasks", "auth")) {
            String token = bearer(TestIdentityProvider.signHs256(
                    TestIdentityProvider.claims(TestIdentityProvider.SECRET_ISSUER, "any", subject)
                            .claim("email", subject + "@example.com").build(),
                    TestIdentityProvider.SHARED_SECRET.getBytes(StandardCharsets.UTF_8)));
            String base = "/api/" + subject + "/tasks";

            MvcResult created = call(json(post(base), "{\"title\": \"Of " + subject + "\"}").header("Authorization", token));
            assertThat(created.getResponse().getStatus()).isEqualTo(201);
            String id = body(created).get("id").asString();
            assertThat(body(created).get("user_id").asString()).isEqualTo(subject);
            assertThat(body(call(get(base + "/" + id).header("Authorization", token))).get("title").asString()).isEqualTo("Of " + subject);
            assertThat(body(call(patch(base + "/" + id + "/complete").header("Authorization", token))).get("completed").asBoolean()).isTrue();
            assertThat(body(call(get("/api/tasks").header("Authorization", token))).get("tasks")).hasSize(1);
            assertThat(body(call(get("/api/tasks/" + id).header("Authorization", token))).get("id").asString()).isEqualTo(id);

            MvcResult listed = callBad(get(base).header("Authorization", token));
            if (subject.equals("auth")) {
                assertThat(listed.getResponse().getStatus()).isEqualTo(200);
                assertThat(body(listed)).hasSize(1);
            } else {
                // /api/tasks/tasks is GET /api/tasks/{task_id} with a task id that is no UUID.
                assertThat(listed.getResponse().getStatus()).isEqualTo(422);
                assertThat(body(listed).get("errors").get(0).get("field").asString()).isEqualTo("task_id");
            }
            assertThat(call(delete(base + "/" + id).header("Authorization", token)).getResponse().getStatus()).isEqualTo(204);
        }
        // Ada's own routes are not affected: her id in the path is a UUID.
        assertThat(body(as(ada, get("/api/tasks"))).get("tasks")).isEmpty();
    }
}
