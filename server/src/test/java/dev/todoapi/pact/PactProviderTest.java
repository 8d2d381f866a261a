package dev.todoapi.pact;

import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;

/**
 * Verifies every pact for {@code todo-api} in the repository's {@code pacts/} folder (written by the web
 * frontend's consumer tests, client-sdk/typescript/pact), or in the folder that the system property or
 * environment variable {@code PACT_FOLDER} names (absolute, or relative to server/).
 */
@Provider("todo-api")
@PactFolder("${PACT_FOLDER:../pacts}")
class PactProviderTest extends PactProviderTestBase {}
