package dev.todoapi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.ApiTestBase;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Every failure comes back as problem+json with a stable code and the request id, never a stack trace.
 * The POST cases use a probe endpoint that exists only in this test: the contract's own write
 * operations are tested for the same mapping in their features' tests.
 */
@Import(ErrorResponsesTest.ProbeEndpoint.class)
class ErrorResponsesTest extends ApiTestBase {

    record ProbeBody(@NotBlank @Size(max = 5) String shortName, int count) {}

    @TestConfiguration
    @RestController
    static class ProbeEndpoint {
        @PostMapping(path = "/test-probe", consumes = MediaType.APPLICATION_JSON_VALUE)
        Map<String, Object> accept(@Valid @RequestBody ProbeBody body) {
            return Map.of("ok", body.shortName());
        }

        @PostMapping(path = "/test-probe/crash")
        void crash() {
            throw new IllegalStateException("secret internal detail");
        }
    }

    @Test
    void unknownRouteIsNotFound() throws Exception {
        MvcResult result = mvc.perform(get("/no/such/route")).andReturn();

        JsonNode problem = assertProblem(result, 404, "NOT_FOUND");
        assertThat(problem.get("instance").asString()).isEqualTo("/no/such/route");
    }

    @Test
    void wrongMethodIsMethodNotAllowed() throws Exception {
        MvcResult result = mvc.perform(delete("/health")).andReturn();

        assertProblem(result, 405, "METHOD_NOT_ALLOWED");
        assertThat(result.getResponse().getHeader("Allow")).contains("GET");
    }

    @Test
    void unsupportedMediaType() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.TEXT_PLAIN).content("hello")).andReturn();

        assertProblem(result, 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void malformedJsonIsBadRequest() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.APPLICATION_JSON).content("{\"short_name\": ")).andReturn();

        assertProblem(result, 400, "MALFORMED_REQUEST");
    }

    @Test
    void missingBodyIsBadRequest() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.APPLICATION_JSON)).andReturn();

        assertProblem(result, 400, "MALFORMED_REQUEST");
    }

    @Test
    void invalidFieldsAreListed() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.APPLICATION_JSON)
                .content("{\"shortName\": \"far too long\", \"count\": 1}")).andReturn();

        JsonNode problem = assertProblem(result, 422, "VALIDATION_FAILED");
        assertThat(problem.get("errors")).hasSize(1);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("short_name");
        assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo("TOO_LONG");
    }

    @Test
    void unknownFieldsAreRejected() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.APPLICATION_JSON)
                .content("{\"shortName\": \"ok\", \"count\": 1, \"user_id\": \"someone\"}")).andReturn();

        JsonNode problem = assertProblem(result, 422, "VALIDATION_FAILED");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("user_id");
        assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo("UNKNOWN_FIELD");
    }

    @Test
    void wrongTypeIsAValidationError() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.APPLICATION_JSON)
                .content("{\"shortName\": \"ok\", \"count\": \"many\"}")).andReturn();

        JsonNode problem = assertProblem(result, 422, "VALIDATION_FAILED");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("count");
    }

    @Test
    void bodyOverTheLimitIsRejected() throws Exception {
        String big = "{\"shortName\": \"" + "x".repeat(70 * 1024) + "\", \"count\": 1}";
        MvcResult result = mvc.perform(post("/test-probe").contentType(MediaType.APPLICATION_JSON).content(big)).andReturn();

        assertProblem(result, 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void unexpectedFailureHidesItsDetail() throws Exception {
        MvcResult result = mvc.perform(post("/test-probe/crash")).andReturn();

        JsonNode problem = assertProblem(result, 500, "INTERNAL_ERROR");
        assertThat(result.getResponse().getContentAsString()).doesNotContain("secret internal detail", "Exception", "at dev.");
        assertThat(problem.get("detail").asString()).contains("request id");
    }

    @Test
    void aSuccessIsNeverLabelledAProblem() throws Exception {
        var ada = register();

        MvcResult onlyProblems = callBad(get("/api/v1/auth/me").header("Authorization", ada.bearer())
                .header("Accept", "application/problem+json"));
        assertProblem(onlyProblems, 406, "NOT_ACCEPTABLE");

        MvcResult either = call(get("/api/v1/auth/me").header("Authorization", ada.bearer())
                .header("Accept", "application/problem+json, application/json;q=0.5"));
        assertThat(either.getResponse().getStatus()).isEqualTo(200);
        assertThat(either.getResponse().getContentType()).isEqualTo("application/json");

        MvcResult created = call(post("/api/v1/tasks").header("Authorization", ada.bearer())
                .header("Accept", "application/problem+json, */*;q=0.1")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Report\"}"));
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        assertThat(created.getResponse().getContentType()).isEqualTo("application/json");
    }

    @Test
    void a406IsDecidedBeforeTheOperationRuns() throws Exception {
        var ada = register();

        MvcResult refused = callBad(post("/api/v1/tasks").header("Authorization", ada.bearer())
                .header("Accept", "application/problem+json")
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Report\"}"));

        assertProblem(refused, 406, "NOT_ACCEPTABLE");
        assertThat(db.fetchCount(dev.todoapi.db.jooq.Tables.TASKS)).isZero();
    }

    @Test
    void headerErrorsNameTheHeaderAsTheContractDoes() throws Exception {
        var ada = register();

        MvcResult tooLong = callBad(post("/api/v1/tasks").header("Authorization", ada.bearer())
                .header("Idempotency-Key", "k".repeat(256))
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Report\"}"));
        JsonNode problem = assertProblem(tooLong, 422, "VALIDATION_FAILED");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");

        MvcResult ifMatch = callBad(delete("/api/v1/tasks/" + java.util.UUID.randomUUID()).header("Authorization", ada.bearer())
                .header("If-Match", "\"" + "1".repeat(120) + "\""));
        assertThat(assertProblem(ifMatch, 422, "VALIDATION_FAILED").get("errors").get(0).get("field").asString())
                .isEqualTo("If-Match");
    }

    @Test
    void nonAsciiInAnInterpretedHeaderIsABadRequestNamingIt() throws Exception {
        var ada = register();

        MvcResult result = callBad(post("/api/v1/tasks").header("Authorization", ada.bearer())
                .header("Idempotency-Key", "7f1c\u2026") // the README's "7f1c…" pasted as is
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"Report\"}"));

        JsonNode problem = assertProblem(result, 400, "MALFORMED_REQUEST");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo("INVALID_CHARACTERS");
        assertThat(db.fetchCount(dev.todoapi.db.jooq.Tables.TASKS)).isZero();
    }

    @Test
    void nonAsciiInAnOpaqueHeaderIsAllowed() throws Exception {
        var ada = register();

        MvcResult result = call(get("/api/v1/auth/me").header("Authorization", ada.bearer()).header("X-Client-Note", "caf\u00e9"));

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void saneRequestIdIsEchoed() throws Exception {
        MvcResult result = call(get("/health").header("X-Request-Id", "client-trace-42"));

        assertThat(result.getResponse().getHeader("X-Request-Id")).isEqualTo("client-trace-42");
    }

    @Test
    void insaneRequestIdIsReplaced() throws Exception {
        MvcResult result = mvc.perform(get("/no/such/route").header("X-Request-Id", "bad id\twith <script>")).andReturn();

        String requestId = result.getResponse().getHeader("X-Request-Id");
        assertThat(requestId).matches("[0-9a-f-]{36}");
        assertThat(body(result).get("request_id").asString()).isEqualTo(requestId);
    }

    private JsonNode assertProblem(MvcResult result, int status, String code) throws Exception {
        assertThat(result.getResponse().getStatus()).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = body(result);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isNotBlank();
        String requestId = result.getResponse().getHeader("X-Request-Id");
        assertThat(requestId).isNotBlank();
        assertThat(problem.get("request_id").asString()).isEqualTo(requestId);
        assertThat(problem.has("trace")).isFalse();
        assertThat(problem.has("exception")).isFalse();
        return problem;
    }
}
