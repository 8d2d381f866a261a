package dev.todoapi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestUser;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/** TODO_VALIDATE_REQUESTS=true: requests outside the contract get 400 CONTRACT_VIOLATION before any controller runs. */
@TestPropertySource(properties = "todo.validate-requests=true")
class ContractRequestValidationTest extends ApiTestBase {

    @Test
    void anUnknownQueryEnumValueIsAContractViolation() throws Exception {
        TestUser user = register();
        MvcResult result = callBad(get("/api/v1/tasks").queryParam("status", "someday").header("Authorization", user.bearer()));

        JsonNode problem = violation(result);
        assertThat(problem.get("errors")).hasSize(1);
        JsonNode error = problem.get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("status");
        assertThat(error.get("code").asString()).isEqualTo("PARAMETER_ENUM");
        assertThat(error.get("message").asString()).contains("enumeration");
    }

    @Test
    void aWrongTypeInTheBodyIsAContractViolationNamingTheField() throws Exception {
        TestUser user = register();
        MvcResult result = callBad(post("/api/v1/tasks").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\":\"Pay rent\",\"tags\":[\"home\",7]}"));

        JsonNode error = violation(result).get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("tags[1]");
        assertThat(error.get("code").asString()).isEqualTo("BODY_TYPE");
        assertThat(db.fetchCount(dev.todoapi.db.jooq.Tables.TASKS)).isZero();
    }

    @Test
    void aParameterOutOfRangeAndAMissingRequiredFieldAreEachReported() throws Exception {
        TestUser user = register();
        JsonNode problem = violation(callBad(get("/api/v1/tasks?limit=5000&sort=shortest").header("Authorization", user.bearer())));
        assertThat(problem.get("errors").valueStream().map(e -> e.get("field").asString())).containsExactlyInAnyOrder("limit", "sort");

        problem = violation(callBad(post("/api/v1/tags").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"color\":\"#112233\"}")));
        assertThat(problem.get("errors").get(0).get("message").asString()).contains("name");
    }

    @Test
    void validRequestsPassAndTheControllerStillReadsTheBody() throws Exception {
        TestUser user = register(); // a JSON body, through the filter
        MvcResult created = call(post("/api/v1/tasks").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\":\"Pay rent\",\"priority\":\"high\",\"tags\":[\"home\"]}"));
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        assertThat(body(created).get("title").asString()).isEqualTo("Pay rent");

        MvcResult listed = call(get("/api/v1/tasks?status=pending&sort=due_date&limit=10").header("Authorization", user.bearer()));
        assertThat(listed.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(listed).get("items")).hasSize(1);

        MvcResult patched = call(patch("/api/v1/tasks/" + body(created).get("id").asString()).header("Authorization", user.bearer())
                .contentType("application/merge-patch+json").content("{\"description\":null,\"completed\":true}"));
        assertThat(patched.getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void theLoginFormStillReachesTheController() throws Exception {
        TestUser user = register();
        MvcResult result = call(post("/api/v1/auth/login").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .content("username=" + java.net.URLEncoder.encode(user.email(), java.nio.charset.StandardCharsets.UTF_8)
                        + "&password=" + java.net.URLEncoder.encode(TestUser.PASSWORD, java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void whatTheLaterLayersAnswerMorePreciselyIsLeftToThem() throws Exception {
        // No token: 401 from security, not a contract violation for the missing bearer scheme.
        assertThat(callBad(get("/api/v1/tasks")).getResponse().getStatus()).isEqualTo(401);
        // A media type the operation does not take: 415 as documented.
        TestUser user = register();
        assertThat(callBad(post("/api/v1/tags").header("Authorization", user.bearer())
                .contentType(MediaType.TEXT_PLAIN).content("work")).getResponse().getStatus()).isEqualTo(415);
        // Routes outside the contract (the docs) are served as before.
        assertThat(mvc.perform(get("/openapi.yaml")).andReturn().getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void garbageInTheQueryOrTheContentTypeIsNoServerError() throws Exception {
        TestUser user = register();
        MvcResult result = mvc.perform(get("/api/v1/tasks").header("Authorization", user.bearer())
                .with(request -> { request.setQueryString("q=%ZZ&limit=%"); return request; })).andReturn();
        assertThat(result.getResponse().getStatus()).isLessThan(500);
        result = mvc.perform(post("/api/v1/tags").header("Authorization", user.bearer()).content("name=x")
                .with(request -> { request.setContentType("form;;=/"); return request; })).andReturn();
        assertThat(result.getResponse().getStatus()).isLessThan(500);
    }

    private JsonNode violation(MvcResult result) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(400);
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
        JsonNode problem = body(result);
        assertThat(problem.get("code").asString()).isEqualTo("CONTRACT_VIOLATION");
        assertThat(problem.get("request_id").asString()).isNotBlank();
        return problem;
    }
}
