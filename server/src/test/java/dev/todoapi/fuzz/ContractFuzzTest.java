package dev.todoapi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.RawHttp;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes every operation of the contract over real HTTP: generated valid and invalid bodies, parameters
 * and headers (wrong types, nulls, huge strings, unicode, SQL and script metacharacters, duplicated keys,
 * invalid UTF-8, broken JSON, wrong media types, forged tokens). Whatever comes in, no response is a 5xx
 * and every response matches what the contract promises for that operation.
 *
 * <p>Deterministic: a fixed seed and a fixed number of tries per operation, so a failure reproduces.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {ApiTestBase.FAST_BCRYPT, ApiTestBase.NO_RATE_LIMIT, "management.server.port=0"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractFuzzTest {

    private static final long SEED = 20261123L;
    private static final int TRIES_PER_OPERATION = 40;
    private static final String[] NASTY = {
        "' OR '1'='1", "\"; DROP TABLE tasks; --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "../../etc/passwd",
        "\u0000", "ü🙂中文\u202Eabc", "%00%ff", "\\", "{}", "[]", "null", "-1", "1e309", "NaN", " ", "",
        "9999999999999999999999999999"
    };

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        ApiTestBase.registerTestProperties(registry);
    }

    @LocalServerPort
    int port;

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private OpenAPI contract;
    private OpenApiInteractionValidator validator;

    @BeforeAll
    void readContract() throws IOException {
        String yaml;
        try (InputStream in = new ClassPathResource("openapi.yaml").getInputStream()) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setResolveFully(true);
        contract = new OpenAPIV3Parser().readContents(yaml, null, options).getOpenAPI();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(yaml).build();
    }

    @TestFactory
    Stream<DynamicTest> noOperationAnswers5xxOrOffContract() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : contract.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                String name = op.getValue().getOperationId();
                tests.add(DynamicTest.dynamicTest(name, () -> fuzz(path.getKey(), path.getValue(), op.getKey(), op.getValue())));
            }
        }
        return tests.stream();
    }

    private void fuzz(String template, PathItem item, PathItem.HttpMethod method, Operation operation) throws Exception {
        Random random = new Random(SEED ^ operation.getOperationId().hashCode());
        Session session = signUp(random);
        List<Parameter> parameters = new ArrayList<>();
        if (item.getParameters() != null) {
            parameters.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            parameters.addAll(operation.getParameters());
        }
        for (int i = 0; i < TRIES_PER_OPERATION; i++) {
            boolean valid = i < TRIES_PER_OPERATION / 4; // the first quarter tries well-formed requests
            String path = template;
            StringBuilder query = new StringBuilder();
            HttpRequest.Builder request = HttpRequest.newBuilder().timeout(Duration.ofSeconds(20));
            for (Parameter parameter : parameters) {
                String value = valid ? validValue(parameter.getName(), parameter.getSchema(), session, random)
                        : anyValue(parameter.getName(), parameter.getSchema(), session, random);
                switch (parameter.getIn()) {
                    case "path" -> path = path.replace("{" + parameter.getName() + "}", encodePath(value));
                    case "query" -> {
                        if (value != null) {
                            query.append(query.isEmpty() ? "?" : "&").append(parameter.getName()).append('=')
                                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
                        }
                    }
                    case "header" -> {
                        if (value != null && headerSafe(value)) {
                            request.header(parameter.getName(), value);
                        }
                    }
                    case "cookie" -> {
                        if (value != null && headerSafe(value)) {
                            request.header("Cookie", parameter.getName() + "=" + value);
                        }
                    }
                    default -> { }
                }
            }
            if (!valid && random.nextInt(4) == 0) {
                request.header("Accept", List.of("application/problem+json", "application/json", "*/*", "text/html",
                        "application/problem+json, application/json;q=0.1").get(random.nextInt(5)));
            }
            String token = valid || random.nextInt(5) > 0 ? session.token() : forgedToken(random);
            if (token != null && headerSafe(token)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
            if (operation.getRequestBody() != null) {
                var content = operation.getRequestBody().getContent();
                String mediaType = content.keySet().iterator().next();
                Schema<?> schema = content.get(mediaType).getSchema();
                byte[] bytes;
                if (mediaType.equals("application/x-www-form-urlencoded")) {
                    bytes = ("username=" + URLEncoder.encode(anyString(random), StandardCharsets.UTF_8)
                            + "&password=" + URLEncoder.encode(anyString(random), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                } else {
                    bytes = valid ? json.writeValueAsBytes(validBody(schema, session, random)) : anyBody(schema, session, random);
                }
                String contentType = valid || random.nextInt(6) > 0 ? mediaType
                        : List.of("text/plain", "application/xml", "application/json; charset=latin1", "*/*").get(random.nextInt(4));
                request.header("Content-Type", contentType);
                body = HttpRequest.BodyPublishers.ofByteArray(bytes);
            }
            URI uri = URI.create("http://localhost:" + port + path + query);
            HttpResponse<String> response = http.send(request.uri(uri).method(method.name(), body).build(), bodyOrStreamStart());

            String what = method + " " + uri + " -> " + response.statusCode() + " " + response.body();
            assertThat(response.statusCode()).as(what).isLessThan(500);
            if (response.statusCode() < 300 && !response.body().isEmpty()) {
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what)
                        .startsWith("streamEvents".equals(operation.getOperationId()) ? "text/event-stream" : "application/json");
            }
            SimpleResponse.Builder checked = SimpleResponse.Builder.status(response.statusCode()).withBody(response.body());
            response.headers().map().forEach((name, values) -> checked.withHeader(name, values));
            ValidationReport report = validator.validateResponse(template, Request.Method.valueOf(method.name()), checked.build());
            assertThat(report.hasErrors()).as("%s%n%s", what, report).isFalse();
        }
    }

    /** The body; of an event stream (which never ends), its first event or comment, and then the connection goes. */
    private static HttpResponse.BodyHandler<String> bodyOrStreamStart() {
        return info -> info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                ? new StreamStart() : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    }

    private static final class StreamStart implements HttpResponse.BodySubscriber<String> {
        private final java.util.concurrent.CompletableFuture<String> body = new java.util.concurrent.CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private java.util.concurrent.Flow.Subscription subscription;

        @Override
        public java.util.concurrent.CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            for (java.nio.ByteBuffer buffer : items) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
            String text = bytes.toString(StandardCharsets.UTF_8);
            if (text.contains("\n\n") || bytes.size() > 4096) {
                body.complete(text);
                subscription.cancel();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    // ---- systematic hostile cases, derived from the contract ---------------------------------------------

    private record Op(String template, PathItem.HttpMethod method, Operation operation, List<Parameter> parameters) {
        String name() {
            return operation.getOperationId();
        }
    }

    private List<Op> operations() {
        List<Op> ops = new ArrayList<>();
        for (Map.Entry<String, PathItem> path : contract.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().readOperationsMap().entrySet()) {
                List<Parameter> parameters = new ArrayList<>();
                if (path.getValue().getParameters() != null) {
                    parameters.addAll(path.getValue().getParameters());
                }
                if (op.getValue().getParameters() != null) {
                    parameters.addAll(op.getValue().getParameters());
                }
                ops.add(new Op(path.getKey(), op.getKey(), op.getValue(), parameters));
            }
        }
        return ops;
    }

    /** The operation's path with valid path parameters for the session. */
    private static String validPath(Op op, Session session) {
        String path = op.template();
        for (Parameter parameter : op.parameters()) {
            if (parameter.getIn().equals("path")) {
                path = path.replace("{" + parameter.getName() + "}", validValue(parameter.getName(), parameter.getSchema(), session, new Random(1)));
            }
        }
        return path;
    }

    /** Values of every JSON type except the schema's own (and null, which merge patches allow). */
    private static List<Object> wrongTypes(Schema<?> schema) {
        String type = schema.getType() != null ? schema.getType() : (schema.getProperties() != null ? "object" : "string");
        return switch (type) {
            case "string" -> List.of(42, true, 12.5, Map.of("a", 1), List.of("a"));
            case "boolean" -> List.of("true", 1, 0, Map.of(), List.of(true));
            case "integer", "number" -> List.of("1", true, Map.of(), List.of(1));
            case "array" -> List.of("x", 1, true, Map.of());
            case "object" -> List.of("x", 1, true, List.of());
            default -> List.of();
        };
    }

    /**
     * Every field of every JSON request body, given each JSON type it does not have, is refused with 422
     * VALIDATION_FAILED and an INVALID_TYPE error naming the field (nothing coerced, nothing created).
     */
    @TestFactory
    Stream<DynamicTest> everyBodyFieldAcceptsOnlyItsContractType() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : operations()) {
            if (op.operation().getRequestBody() == null) {
                continue;
            }
            op.operation().getRequestBody().getContent().forEach((mediaType, content) -> {
                if (!mediaType.contains("json") || content.getSchema().getProperties() == null) {
                    return;
                }
                Schema<?> schema = content.getSchema();
                schema.getProperties().forEach((field, property) -> {
                    List<Map.Entry<String, Object>> cases = new ArrayList<>();
                    for (Object wrong : wrongTypes(property)) {
                        cases.add(Map.entry(field, wrong));
                    }
                    if ("array".equals(property.getType()) && property.getItems() != null) {
                        for (Object wrong : wrongTypes(property.getItems())) {
                            cases.add(Map.entry(field + "[0]", List.of(wrong)));
                        }
                    }
                    for (Map.Entry<String, Object> wrongCase : cases) {
                        tests.add(DynamicTest.dynamicTest(op.name() + " " + wrongCase.getKey() + "=" + json.writeValueAsString(wrongCase.getValue()),
                                () -> sendWrongType(op, mediaType, schema, field, wrongCase.getKey(), wrongCase.getValue())));
                    }
                });
            });
        }
        return tests.stream();
    }

    private Session shared;

    /** One user for the systematic cases: each is refused before it could change anything. */
    private Session shared() throws Exception {
        if (shared == null) {
            shared = signUp(new Random(SEED));
        }
        return shared;
    }

    private void sendWrongType(Op op, String mediaType, Schema<?> schema, String field, String reported, Object wrong) throws Exception {
        Session session = shared();
        Random random = new Random(SEED ^ field.hashCode());
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        schema.getProperties().forEach((key, property) -> {
            if (schema.getRequired() != null && schema.getRequired().contains(key)) {
                body.put(key, valid(property, random));
            }
        });
        body.put(field, wrong);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + validPath(op, session)))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + session.token())
                .header("Content-Type", mediaType)
                .method(op.method().name(), HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        String what = op.method() + " " + request.uri() + " " + json.writeValueAsString(body) + " -> " + response.statusCode() + " " + response.body();
        assertThat(response.statusCode()).as(what).isEqualTo(422);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).as(what).isEqualTo("VALIDATION_FAILED");
        assertThat(problem.get("errors").toString()).as(what)
                .contains("{\"field\":\"" + reported + "\",\"code\":\"INVALID_TYPE\"");
        assertMatchesContract(op, response.statusCode(), response.headers().map(), response.body(), what);
    }

    private static final String[] BROKEN_ESCAPES = {"%ZZ", "%", "%zz", "%4", "abc%G1", "%%41"};

    /**
     * Every query parameter, path parameter and form field with a broken percent-encoding gets 400
     * MALFORMED_REQUEST, with or without a token, never a 5xx.
     */
    @TestFactory
    Stream<DynamicTest> brokenPercentEncodingIsABadRequestEverywhere() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : operations()) {
            for (Parameter parameter : op.parameters()) {
                if (!parameter.getIn().equals("query") && !parameter.getIn().equals("path")) {
                    continue;
                }
                for (String broken : BROKEN_ESCAPES) {
                    tests.add(DynamicTest.dynamicTest(op.name() + " " + parameter.getName() + "=" + broken, () -> {
                        Session session = shared();
                        String target = parameter.getIn().equals("path")
                                ? validPath(new Op(op.template().replace("{" + parameter.getName() + "}", broken), op.method(), op.operation(), op.parameters()), session)
                                : validPath(op, session) + "?" + parameter.getName() + "=" + broken;
                        byte[] body = op.operation().getRequestBody() == null ? new byte[0] : "{}".getBytes(StandardCharsets.UTF_8);
                        Map<String, byte[]> headers = new java.util.LinkedHashMap<>();
                        headers.put("Authorization", ("Bearer " + session.token()).getBytes(StandardCharsets.US_ASCII));
                        headers.put("Content-Type", "application/json".getBytes(StandardCharsets.US_ASCII));
                        assertMalformed(op, RawHttp.send(port, op.method().name(), target, headers, body), null, target);
                    }));
                }
            }
            if (op.operation().getRequestBody() != null
                    && op.operation().getRequestBody().getContent().containsKey("application/x-www-form-urlencoded")) {
                for (String broken : BROKEN_ESCAPES) {
                    for (String form : List.of("username=" + broken + "&password=x", "username=a%40b.c&password=" + broken, broken + "=x")) {
                        tests.add(DynamicTest.dynamicTest(op.name() + " form " + form, () -> {
                            Map<String, byte[]> headers = Map.of("Content-Type",
                                    "application/x-www-form-urlencoded".getBytes(StandardCharsets.US_ASCII));
                            assertMalformed(op, RawHttp.send(port, op.method().name(), op.template(), headers,
                                    form.getBytes(StandardCharsets.US_ASCII)), null, form);
                        }));
                    }
                }
            }
        }
        return tests.stream();
    }

    /** Raw header values: the README's "7f1c…" as UTF-8, Latin-1, C0 and C1 controls, DEL, ESC. */
    private static final byte[][] BAD_HEADER_BYTES = {
        "7f1c\u2026".getBytes(StandardCharsets.UTF_8),
        "\"3\u201d".getBytes(StandardCharsets.UTF_8),
        {'c', 'a', 'f', (byte) 0xE9},
        {'a', (byte) 0x85, 'b'},
        {'a', 0x7F, 'b'},
        {'a', 0x1B, '[', '3', '1', 'm'},
        {'a', 0x01, 'b'},
        {'a', 0x00, 'b'},
    };

    /**
     * Every header the contract declares (and Authorization, its security scheme), with bytes its grammar
     * does not allow, gets 400 MALFORMED_REQUEST; the problem names the header wherever the server reads it.
     */
    @TestFactory
    Stream<DynamicTest> badBytesInEveryDeclaredHeaderAreABadRequest() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : operations()) {
            List<String> names = new ArrayList<>(List.of("Authorization"));
            for (Parameter parameter : op.parameters()) {
                if (parameter.getIn().equals("header")) {
                    names.add(parameter.getName());
                }
            }
            for (String name : names) {
                for (byte[] bad : BAD_HEADER_BYTES) {
                    tests.add(DynamicTest.dynamicTest(op.name() + " " + name + ": " + java.util.HexFormat.of().formatHex(bad), () -> {
                        Session session = shared();
                        Map<String, byte[]> headers = new java.util.LinkedHashMap<>();
                        if (!name.equals("Authorization")) {
                            headers.put("Authorization", ("Bearer " + session.token()).getBytes(StandardCharsets.US_ASCII));
                        }
                        headers.put(name, name.equals("Authorization") ? concat("Bearer ".getBytes(StandardCharsets.US_ASCII), bad) : bad);
                        byte[] body = new byte[0];
                        if (op.operation().getRequestBody() != null) {
                            String mediaType = op.operation().getRequestBody().getContent().keySet().iterator().next();
                            headers.put("Content-Type", mediaType.getBytes(StandardCharsets.US_ASCII));
                            body = mediaType.contains("json") ? json.writeValueAsBytes(
                                    valid(op.operation().getRequestBody().getContent().get(mediaType).getSchema(), new Random(SEED)))
                                    : "username=a&password=b".getBytes(StandardCharsets.US_ASCII);
                        }
                        // Tomcat itself refuses C0 controls and DEL in any header (its 400 can't name it); the
                        // server refuses the rest and names the header.
                        boolean control = false;
                        for (byte b : bad) {
                            control |= (b >= 0 && b < 0x20) || b == 0x7F;
                        }
                        assertMalformed(op, RawHttp.send(port, op.method().name(), validPath(op, session), headers, body),
                                control ? null : name, name);
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** 400 MALFORMED_REQUEST problem+json (naming {@code header} when given), matching the contract. */
    private void assertMalformed(Op op, RawHttp.Response response, String header, String what) throws Exception {
        String described = op.method() + " " + op.template() + " [" + what + "] -> " + response.status() + " " + response.body();
        assertThat(response.status()).as(described).isEqualTo(400);
        assertThat(response.header("Content-Type")).as(described).startsWith("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("code").asString()).as(described).isEqualTo("MALFORMED_REQUEST");
        if (header != null) {
            assertThat(problem.get("errors").get(0).get("field").asString()).as(described).isEqualTo(header);
        }
        assertMatchesContract(op, response.status(), response.headers(), response.body(), described);
    }

    private void assertMatchesContract(Op op, int status, Map<String, List<String>> headers, String body, String what) {
        SimpleResponse.Builder checked = SimpleResponse.Builder.status(status).withBody(body);
        headers.forEach(checked::withHeader);
        ValidationReport report = validator.validateResponse(op.template(), Request.Method.valueOf(op.method().name()), checked.build());
        assertThat(report.hasErrors()).as("%s%n%s", what, report).isFalse();
    }

    // ---- inputs -----------------------------------------------------------------------------------------

    private record Session(String token, String userId, String taskId, String tagId, String listId, String webhookId) {}

    private Session signUp(Random random) throws Exception {
        String email = "fuzz-" + UUID.randomUUID() + "@example.com";
        JsonNode auth = post("/api/v1/auth/register", Map.of("email", email, "password", "fuzzing password 1", "name", "Fuzz"), null);
        String token = auth.get("access_token").asString();
        JsonNode task = post("/api/v1/tasks", Map.of("title", "seed task", "tags", List.of("seed")), token);
        // A webhook endpoint on the tests' allow-listed network, where nothing listens (port 9): tests and redeliveries
        // fail fast. Disabled, so that the session's writes leave no retries running in the background.
        JsonNode webhook = post("/api/v1/webhooks", Map.of("url", "http://127.0.0.2:9/fuzz", "enabled", false), token);
        return new Session(token, auth.get("user").get("id").asString(), task.get("id").asString(),
                task.get("tags").get(0).get("id").asString(), task.get("list_id").asString(), webhook.get("id").asString());
    }

    private JsonNode post(String path, Object body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static String forgedToken(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
            case 2 -> "not a token " + NASTY[random.nextInt(NASTY.length)];
            default -> "eyJhbGciOiJIUzI1NiJ9." + "A".repeat(random.nextInt(3000)) + ".sig";
        };
    }

    private static String validValue(String name, Schema<?> schema, Session session, Random random) {
        return switch (name) {
            case "task_id" -> session.taskId();
            case "tag_id" -> session.tagId();
            case "list_id" -> session.listId();
            case "user_id" -> session.userId();
            case "id" -> session.taskId(); // /api/v1/trash/{type}/{id}
            case "webhook_id" -> session.webhookId();
            case "delivery_id" -> UUID.randomUUID().toString();
            case "type" -> "task";
            case "cursor", "If-Match", "Idempotency-Key", "refresh_token" -> null;
            default -> random.nextBoolean() ? null : String.valueOf(valid(schema, random));
        };
    }

    private static String anyValue(String name, Schema<?> schema, Session session, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> validValue(name, schema, session, random);
            case 1 -> UUID.randomUUID().toString();
            case 2 -> NASTY[random.nextInt(NASTY.length)];
            case 3 -> "x".repeat(1 + random.nextInt(3000));
            default -> anyString(random);
        };
    }

    private Object validBody(Schema<?> schema, Session session, Random random) {
        return valid(schema, random);
    }

    private static Object valid(Schema<?> schema, Random random) {
        if (schema == null) {
            return "x";
        }
        if (schema.getEnum() != null && !schema.getEnum().isEmpty()) {
            return schema.getEnum().get(random.nextInt(schema.getEnum().size()));
        }
        String type = schema.getType() != null ? schema.getType() : (schema.getProperties() != null ? "object" : "string");
        return switch (type) {
            case "object" -> {
                Map<String, Object> object = new java.util.LinkedHashMap<>();
                if (schema.getProperties() != null) {
                    schema.getProperties().forEach((key, property) -> {
                        boolean required = schema.getRequired() != null && schema.getRequired().contains(key);
                        if (required || random.nextBoolean()) {
                            object.put(key, valid(property, random));
                        }
                    });
                }
                yield object;
            }
            case "array" -> List.of(valid(schema.getItems(), random));
            case "integer" -> schema.getMinimum() != null ? schema.getMinimum().intValue() : 1;
            case "boolean" -> random.nextBoolean();
            default -> validString(schema, random);
        };
    }

    private static String validString(Schema<?> schema, Random random) {
        if ("date-time".equals(schema.getFormat())) {
            return "2026-12-0" + (1 + random.nextInt(8)) + "T10:00:00Z";
        }
        if ("uuid".equals(schema.getFormat())) {
            return UUID.randomUUID().toString();
        }
        if ("email".equals(schema.getFormat())) {
            return "f" + random.nextInt(1_000_000) + "@example.com";
        }
        if (schema.getPattern() != null && schema.getPattern().contains("#")) {
            return "#a1b2c3";
        }
        int min = schema.getMinLength() == null ? 1 : schema.getMinLength();
        return "v".repeat(Math.max(min, 8));
    }

    /** Anything from a slightly wrong body to bytes that are not JSON or not even UTF-8. */
    private byte[] anyBody(Schema<?> schema, Session session, Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> new byte[] {'{', '"', 't', 'i', 't', 'l', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
            case 1 -> "{\"title\": \"a\", \"title\": \"b\", \"completed\": true, \"completed\": false}".getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"title\": " + "[".repeat(3000) + "]".repeat(3000) + "}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"title\": \"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 4 -> NASTY[random.nextInt(NASTY.length)].getBytes(StandardCharsets.UTF_8);
            case 5 -> "{\"title\": 1e400, \"priority\": 12345678901234567890, \"due_date\": [] , \"tags\": {}}".getBytes(StandardCharsets.UTF_8);
            case 6 -> ("{\"id\": \"" + UUID.randomUUID() + "\", \"user_id\": \"someone\", \"title\": \"t\", \"version\": 9}").getBytes(StandardCharsets.UTF_8);
            default -> json.writeValueAsBytes(mutate(valid(schema, random), random));
        };
    }

    @SuppressWarnings("unchecked")
    private static Object mutate(Object value, Random random) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>((Map<String, Object>) map);
            for (String key : new ArrayList<>(copy.keySet())) {
                if (random.nextInt(3) == 0) {
                    copy.put(key, switch (random.nextInt(6)) {
                        case 0 -> null;
                        case 1 -> random.nextInt();
                        case 2 -> List.of("a", 1, Map.of());
                        case 3 -> anyString(random);
                        case 4 -> "z".repeat(1 + random.nextInt(2000));
                        default -> Map.of("nested", NASTY[random.nextInt(NASTY.length)]);
                    });
                }
            }
            if (random.nextInt(4) == 0) {
                copy.put("unexpected_" + random.nextInt(100), "surprise");
            }
            return copy;
        }
        return anyString(random);
    }

    private static String anyString(Random random) {
        if (random.nextBoolean()) {
            return NASTY[random.nextInt(NASTY.length)];
        }
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(40);
        for (int i = 0; i < length; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> 0xA0 + random.nextInt(0x2000);
                case 2 -> 0x1F300 + random.nextInt(0x300);
                default -> 0x4E00 + random.nextInt(0x5000);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    private static String encodePath(String value) {
        return value == null ? "x" : URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean headerSafe(String value) {
        return value.chars().allMatch(c -> c >= 0x20 && c < 0x7F) && value.length() < 8000;
    }
}
