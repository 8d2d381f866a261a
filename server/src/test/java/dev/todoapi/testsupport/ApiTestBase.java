package dev.todoapi.testsupport;

import dev.todoapi.db.EmbeddedPostgresSupport;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
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
public abstract class ApiTestBase {

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
        EmbeddedPostgresSupport.Coordinates database = DATABASE;
        registry.add("todo.database.url", database::jdbcUrl);
        registry.add("todo.database.user", database::user);
        registry.add("todo.database.password", database::password);
    }

    @BeforeEach
    void emptyTenantTables() {
        // users cascades to every tenant table.
        db.truncate(dev.todoapi.db.jooq.Tables.USERS).cascade().execute();
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
