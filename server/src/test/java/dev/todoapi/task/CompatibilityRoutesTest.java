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
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import tools.jackson.databind.JsonNode;

/** /api/{user_id}/tasks, as the frontends of the original plans call it. */
class CompatibilityRoutesTest extends TaskApiTestBase {

    private TestUser ada;
    private String base;

    @BeforeEach
    void signUp() throws Exception {
        ada = register("ada@example.com");
        base = "/api/" + ada.id() + "/tasks";
    }

    @Test
    void theWholeLifecycle() throws Exception {
        MvcResult created = call(post(base).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Buy milk\"}"));
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        String id = body(created).get("id").asString();
        assertThat(created.getResponse().getHeader("Location")).isEqualTo(base + "/" + id);
        call(post(base).header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Newer\"}"));

        MvcResult all = call(get(base).header("Authorization", ada.bearer()));
        JsonNode array = body(all);
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        assertThat(array.get(0).get("title").asString()).isEqualTo("Newer");

        assertThat(body(call(get(base + "/" + id).header("Authorization", ada.bearer()))).get("title").asString()).isEqualTo("Buy milk");
        JsonNode replaced = body(call(put(base + "/" + id).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Buy oat milk\", \"priority\": \"high\"}")));
        assertThat(replaced.get("title").asString()).isEqualTo("Buy oat milk");

        JsonNode completed = body(call(patch(base + "/" + id).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"completed\": true}")));
        assertThat(completed.get("completed").asBoolean()).isTrue();
        assertThat(body(call(get(base + "?status=completed").header("Authorization", ada.bearer())))).hasSize(1);
        assertThat(body(call(get(base + "?status=pending").header("Authorization", ada.bearer())))).hasSize(1);

        JsonNode toggled = body(call(patch(base + "/" + id + "/complete").header("Authorization", ada.bearer())));
        assertThat(toggled.get("completed").asBoolean()).isFalse();

        assertThat(call(delete(base + "/" + id).header("Authorization", ada.bearer())).getResponse().getStatus()).isEqualTo(204);
        MvcResult gone = call(get(base + "/" + id).header("Authorization", ada.bearer()));
        assertThat(gone.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo("TASK_NOT_FOUND");
    }

    @Test
    void anotherUsersIdInThePathIsForbiddenBeforeAnyLookup() throws Exception {
        TestUser mallory = register("mallory@example.com");
        String id = body(call(post(base).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Ada's\"}"))).get("id").asString();
        String missing = "0b3f6d1e-6c2a-4f0e-9d7b-2a1c3e4f5a6b";

        for (String taskId : List.of(id, missing)) {
            List<RequestBuilder> attempts = List.of(
                    get(base),
                    post(base).contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"x\"}"),
                    get(base + "/" + taskId),
                    put(base + "/" + taskId).contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"x\"}"),
                    patch(base + "/" + taskId).contentType(MediaType.APPLICATION_JSON).content("{\"completed\": true}"),
                    patch(base + "/" + taskId + "/complete"),
                    delete(base + "/" + taskId));
            for (RequestBuilder attempt : attempts) {
                MvcResult result = call(((org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder) attempt)
                        .header("Authorization", mallory.bearer()));
                assertThat(result.getResponse().getStatus()).isEqualTo(403);
                assertThat(code(result)).isEqualTo("USER_MISMATCH");
            }
        }
        assertThat(body(getTask(ada, id)).get("title").asString()).isEqualTo("Ada's");
        assertThat(list(ada, "").get("items")).hasSize(1);
    }

    /** Subjects of external issuers may hold characters a path must escape, like Auth0's "auth0|...". */
    @Test
    void theLocationEscapesTheUserId() throws Exception {
        String subject = "auth0|5f7c 1";
        String token = "Bearer " + TestIdentityProvider.signHs256(
                TestIdentityProvider.claims(TestIdentityProvider.SECRET_ISSUER, "any", subject).claim("email", "a0@example.com").build(),
                TestIdentityProvider.SHARED_SECRET.getBytes(StandardCharsets.UTF_8));

        MvcResult created = call(post("/api/{user_id}/tasks", subject).header("Authorization", token)
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Buy milk\"}"));

        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        String id = body(created).get("id").asString();
        String location = created.getResponse().getHeader("Location");
        assertThat(location).isEqualTo("/api/auth0%7C5f7c%201/tasks/" + id);
        assertThat(body(call(get(URI.create(location)).header("Authorization", token))).get("user_id").asString()).isEqualTo(subject);
    }

    @Test
    void withoutATokenIts401() throws Exception {
        MvcResult result = call(get(base));

        assertThat(result.getResponse().getStatus()).isEqualTo(401);
        assertThat(code(result)).isEqualTo("MISSING_TOKEN");
    }
}
