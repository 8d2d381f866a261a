package dev.todoapi.tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class TagApiTest extends TaskApiTestBase {

    private TestUser ada;

    @BeforeEach
    void signUp() throws Exception {
        ada = register("ada@example.com");
    }

    private MvcResult createTag(String json) throws Exception {
        return call(post("/api/v1/tags").header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    @Test
    void createListGet() throws Exception {
        MvcResult created = createTag("{\"name\": \" Work \", \"color\": \"#3B82F6\"}");
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        JsonNode tag = body(created);
        assertThat(tag.get("name").asString()).isEqualTo("Work");
        assertThat(tag.get("color").asString()).isEqualTo("#3B82F6");
        assertThat(tag.get("open_task_count").asInt()).isZero();
        assertThat(created.getResponse().getHeader("Location")).isEqualTo("/api/v1/tags/" + tag.get("id").asString());

        createTask(ada, "{\"title\": \"one\", \"tags\": [\"work\"]}");
        String done = createTask(ada, "{\"title\": \"two\", \"tags\": [\"work\", \"errands\"]}").get("id").asString();
        toggle(ada, done);

        JsonNode tags = body(call(get("/api/v1/tags").header("Authorization", ada.bearer()))).get("items");
        assertThat(tags).hasSize(2);
        assertThat(tags.get(0).get("name").asString()).isEqualTo("errands");
        assertThat(tags.get(0).get("open_task_count").asInt()).isZero();
        assertThat(tags.get(1).get("name").asString()).isEqualTo("Work");
        assertThat(tags.get(1).get("open_task_count").asInt()).isEqualTo(1);

        JsonNode one = body(call(get("/api/v1/tags/" + tag.get("id").asString()).header("Authorization", ada.bearer())));
        assertThat(one.get("open_task_count").asInt()).isEqualTo(1);
    }

    @Test
    void namesAreUniqueCaseInsensitively() throws Exception {
        createTag("{\"name\": \"Home\"}");

        MvcResult duplicate = createTag("{\"name\": \"HOME\"}");

        assertThat(duplicate.getResponse().getStatus()).isEqualTo(409);
        assertThat(code(duplicate)).isEqualTo("TAG_ALREADY_EXISTS");
    }

    @Test
    void invalidTags() throws Exception {
        for (String json : new String[] {"{\"name\": \"\"}", "{\"name\": \"   \"}", "{\"name\": \"" + "n".repeat(51) + "\"}",
                "{\"name\": \"ok\", \"color\": \"red\"}", "{\"name\": \"ok\", \"color\": \"#12345\"}", "{\"color\": \"#123456\"}"}) {
            MvcResult result = callBad(post("/api/v1/tags").header("Authorization", ada.bearer())
                    .contentType(MediaType.APPLICATION_JSON).content(json));
            assertThat(result.getResponse().getStatus()).as(json).isEqualTo(422);
            assertThat(code(result)).as(json).isEqualTo("VALIDATION_FAILED");
        }
    }

    @Test
    void renameRecolorAndConflicts() throws Exception {
        String id = body(createTag("{\"name\": \"wrk\", \"color\": \"#000000\"}")).get("id").asString();
        createTag("{\"name\": \"home\"}");
        String taskId = createTask(ada, "{\"title\": \"tagged\", \"tags\": [\"wrk\"]}").get("id").asString();

        MvcResult renamed = call(patch("/api/v1/tags/" + id).header("Authorization", ada.bearer())
                .contentType(MERGE_PATCH).content("{\"name\": \"work\"}"));
        assertThat(body(renamed).get("name").asString()).isEqualTo("work");
        assertThat(body(renamed).get("color").asString()).isEqualTo("#000000");
        JsonNode task = body(getTask(ada, taskId));
        assertThat(task.get("tags").get(0).get("name").asString()).isEqualTo("work");
        assertThat(getTask(ada, taskId).getResponse().getHeader("ETag")).isEqualTo("\"2\"");

        MvcResult uncolored = call(patch("/api/v1/tags/" + id).header("Authorization", ada.bearer())
                .contentType(MERGE_PATCH).content("{\"color\": null}"));
        assertThat(body(uncolored).has("color")).isFalse();

        MvcResult conflict = call(patch("/api/v1/tags/" + id).header("Authorization", ada.bearer())
                .contentType(MERGE_PATCH).content("{\"name\": \"Home\"}"));
        assertThat(conflict.getResponse().getStatus()).isEqualTo(409);
        assertThat(code(conflict)).isEqualTo("TAG_ALREADY_EXISTS");
    }

    @Test
    void deletingATagRemovesItFromItsTasks() throws Exception {
        JsonNode task = createTask(ada, "{\"title\": \"tagged\", \"tags\": [\"gone\", \"kept\"]}");
        String tagId = task.get("tags").get(0).get("id").asString();

        assertThat(call(delete("/api/v1/tags/" + tagId).header("Authorization", ada.bearer())).getResponse().getStatus()).isEqualTo(204);

        JsonNode after = body(getTask(ada, task.get("id").asString()));
        assertThat(after.get("tags")).hasSize(1);
        assertThat(after.get("tags").get(0).get("name").asString()).isEqualTo("kept");
        MvcResult missing = call(get("/api/v1/tags/" + tagId).header("Authorization", ada.bearer()));
        assertThat(missing.getResponse().getStatus()).isEqualTo(404);
        assertThat(code(missing)).isEqualTo("TAG_NOT_FOUND");
    }
}
