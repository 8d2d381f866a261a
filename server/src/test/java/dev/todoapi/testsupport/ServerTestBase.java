package dev.todoapi.testsupport;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of tests that need the application on a real port ({@code RANDOM_PORT}), such as the Pact provider
 * verification: the database and settings of {@link ApiTestBase}, and one Spring context (so one server) for
 * every subclass, since they all inherit the same configuration.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {ApiTestBase.FAST_BCRYPT, ApiTestBase.NO_RATE_LIMIT})
public abstract class ServerTestBase {

    @DynamicPropertySource
    static void serverTestProperties(DynamicPropertyRegistry registry) {
        ApiTestBase.registerTestProperties(registry);
    }

    /** The port the application listens on. */
    @LocalServerPort
    protected int port;
}
