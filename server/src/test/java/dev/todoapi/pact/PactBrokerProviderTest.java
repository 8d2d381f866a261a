package dev.todoapi.pact;

import au.com.dius.pact.provider.junitsupport.IgnoreNoPactsToVerify;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactBroker;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Verifies the pacts for {@code todo-api} in a Pact Broker (or PactFlow), when one is named: by pact-jvm's
 * standard system properties ({@code pactbroker.url}, {@code pactbroker.auth.token} or
 * {@code pactbroker.auth.username}/{@code password}, {@code pactbroker.consumerversionselectors.tags},
 * {@code pactbroker.providerBranch}, ...) or by the environment variables {@code PACT_BROKER_URL} (or
 * {@code PACT_BROKER_BASE_URL}), {@code PACT_BROKER_TOKEN}, {@code PACT_BROKER_USERNAME} and
 * {@code PACT_BROKER_PASSWORD}. Results are published with {@code -Dpact.verifier.publishResults=true}
 * {@code -Dpact.provider.version=...}. Skipped when no broker is named.
 */
@Provider("todo-api")
@PactBroker
@IgnoreNoPactsToVerify
@EnabledIf("brokerNamed")
class PactBrokerProviderTest extends PactProviderTestBase {

    private static final Map<String, String[]> FROM_ENVIRONMENT = Map.of(
            "pactbroker.url", new String[] {"PACT_BROKER_URL", "PACT_BROKER_BASE_URL"},
            "pactbroker.auth.token", new String[] {"PACT_BROKER_TOKEN"},
            "pactbroker.auth.username", new String[] {"PACT_BROKER_USERNAME"},
            "pactbroker.auth.password", new String[] {"PACT_BROKER_PASSWORD"});

    static boolean brokerNamed() {
        return setting("pactbroker.url", FROM_ENVIRONMENT.get("pactbroker.url")) != null
                || setting("pactbroker.host", "PACT_BROKER_HOST") != null;
    }

    /** pact-jvm reads the pactbroker.* names only; the usual environment variables of Pact's tools fill them. */
    @BeforeAll
    static void brokerSettingsFromEnvironment() {
        FROM_ENVIRONMENT.forEach((property, variables) -> {
            String value = setting(property, variables);
            if (value != null && System.getProperty(property) == null) {
                System.setProperty(property, value);
            }
        });
    }
}
