package dev.todoapi.testsupport;

import dev.todoapi.db.EmbeddedPostgresSupport;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import org.jooq.DSLContext;
import org.springframework.http.MediaType;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the integration tests: the real application and a real PostgreSQL, every tenant table emptied
 * before each test, and every exchange checked against openapi.yaml.
 */
@ApiTest
@TestPropertySource(properties = {ApiTestBase.FAST_BCRYPT, ApiTestBase.NO_RATE_LIMIT})
public abstract class ApiTestBase {

    /** The lowest cost the server accepts, to keep the suite quick; production defaults to 12. */
    public static final String FAST_BCRYPT = "todo.auth.bcrypt-cost=10";

    /** Every test request comes from 127.0.0.1; the limit itself is tested in its own context. */
    public static final String NO_RATE_LIMIT = "todo.auth.rate-limit-per-minute=100000";

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected DSLContext db;

    @Autowired
    protected JsonMapper json;

    /** One fresh database per test JVM; the Spring context (and so the database) is shared by all tests. */
    private static final EmbeddedPostgresSupport.Coordinates DATABASE = EmbeddedPostgresSupport.freshDatabaseCoordinates();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registerTestProperties(registry);
    }

    /**
     * The test database, JWT secret and identity providers, for test classes that cannot extend this one
     * (a {@code RANDOM_PORT} context, say); with {@link #FAST_BCRYPT} and {@link #NO_RATE_LIMIT} in their
     * {@code @TestPropertySource} they run against the same database and server settings.
     */
    public static void registerTestProperties(DynamicPropertyRegistry registry) {
        EmbeddedPostgresSupport.Coordinates database = DATABASE;
        registry.add("todo.database.url", database::jdbcUrl);
        registry.add("todo.database.user", database::user);
        registry.add("todo.database.password", database::password);
        registry.add("todo.auth.jwt-secret", () -> JWT_SECRET);
        TestIdentityProvider idp = TestIdentityProvider.get();
        registry.add("todo.auth.external-issuers[0].issuer", () -> TestIdentityProvider.JWKS_ISSUER);
        registry.add("todo.auth.external-issuers[0].audience", () -> TestIdentityProvider.JWKS_AUDIENCE);
        registry.add("todo.auth.external-issuers[0].jwk-set-uri", idp::jwksUri);
        registry.add("todo.auth.external-issuers[1].issuer", () -> TestIdentityProvider.SECRET_ISSUER);
        registry.add("todo.auth.external-issuers[1].secret", () -> TestIdentityProvider.SHARED_SECRET);
        // Webhooks: the tests' receivers listen on 127.0.0.2 (allow-listed; 127.0.0.1 and localhost stay refused, as
        // the SSRF tests check), over plain http, with quick retries. Every context of the suite uses the same, since
        // each runs a delivery worker on the same database.
        registry.add("todo.webhooks.allow-http", () -> "true");
        registry.add("todo.webhooks.allowed-hosts", () -> WEBHOOK_RECEIVER_NETWORK);
        registry.add("todo.webhooks.retry-initial-delay", () -> "200ms");
        registry.add("todo.webhooks.retry-max-delay", () -> "1s");
        registry.add("todo.webhooks.timeout", () -> "1s");
        registry.add("todo.webhooks.poll-interval", () -> "200ms");
    }

    /** The one network the tests' webhook receivers may use. */
    public static final String WEBHOOK_RECEIVER_NETWORK = "127.0.0.2/32";

    /** The HS256 key of the server under test, so tests can forge tokens of their own. */
    protected static final String JWT_SECRET = "test-secret-" + java.util.UUID.randomUUID() + "-0123456789";

    /** Registers a user and returns its session (access token, refresh token, id). */
    protected TestUser register(String email) throws Exception {
        MvcResult result = call(post("/api/v1/auth/register").contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(java.util.Map.of("email", email, "password", TestUser.PASSWORD, "name", "Test User"))));
        if (result.getResponse().getStatus() != 201) {
            throw new AssertionError("register failed: " + result.getResponse().getContentAsString());
        }
        JsonNode body = body(result);
        return new TestUser(body.get("user").get("id").asString(), email, body.get("access_token").asString(),
                body.get("refresh_token").asString());
    }

    protected TestUser register() throws Exception {
        return register("user-" + java.util.UUID.randomUUID() + "@example.com");
    }

    protected static String bearer(String token) {
        return "Bearer " + token;
    }

    @BeforeEach
    void emptyTenantTables() throws InterruptedException {
        // users cascades to every tenant table. The webhook workers of the suite's contexts may still be writing
        // (retries of an earlier test's events): TRUNCATE's locks can then deadlock with one of their transactions,
        // which PostgreSQL breaks by failing one side; the truncate is tried again.
        for (int attempt = 1; ; attempt++) {
            try {
                db.truncate(dev.todoapi.db.jooq.Tables.USERS, dev.todoapi.db.jooq.Tables.USER_EMAILS).cascade().execute();
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }

    /** Performs a request whose request and response must both match the contract. */
    protected MvcResult call(RequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        ContractValidator.assertExchangeMatches(result);
        return result;
    }

    /** Performs a deliberately bad request; only the response must match the contract. */
    protected MvcResult callBad(RequestBuilder request) throws Exception {
        MvcResult result = mvc.perform(request).andReturn();
        ContractValidator.assertResponseMatches(result);
        return result;
    }

    protected JsonNode body(MvcResult result) throws Exception {
        return json.readTree(result.getResponse().getContentAsString());
    }
}
