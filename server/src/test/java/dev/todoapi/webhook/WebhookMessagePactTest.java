package dev.todoapi.webhook;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import au.com.dius.pact.provider.MessageAndMetadata;
import au.com.dius.pact.provider.PactVerifyProvider;
import au.com.dius.pact.provider.junit5.MessageTestTarget;
import au.com.dius.pact.provider.junit5.PactVerificationContext;
import au.com.dius.pact.provider.junit5.PactVerificationInvocationContextProvider;
import au.com.dius.pact.provider.junitsupport.Provider;
import au.com.dius.pact.provider.junitsupport.State;
import au.com.dius.pact.provider.junitsupport.loader.PactFolder;
import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.http.MediaType;

/**
 * Verifies the webhook receivers' message pacts (client-sdk/typescript/pact/webhook-receiver.pact.test.mjs): each
 * message the consumer expects is a body the real worker delivered, here and now, to a receiver on the tests' network,
 * after the writes its description names.
 */
@Provider("todo-api-webhooks")
@PactFolder("${PACT_FOLDER:../pacts}")
class WebhookMessagePactTest extends ApiTestBase {

    static {
        System.setProperty("pact_do_not_track", "true");
    }

    private Receiver receiver;

    @BeforeEach
    void target(PactVerificationContext context) throws Exception {
        receiver = new Receiver();
        if (context != null) {
            context.setTarget(new MessageTestTarget());
        }
    }

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @TestTemplate
    @ExtendWith(PactVerificationInvocationContextProvider.class)
    void verify(PactVerificationContext context) {
        context.verifyInteraction();
    }

    // The writes happen in the message methods below, once the receiver of this interaction is up.
    @State("a user whose endpoint wants task.upserted events, and a task created")
    void endpointForUpserts() {}

    @State("a user whose endpoint wants task.deleted events, and a task deleted")
    void endpointForDeletes() {}

    @PactVerifyProvider("a task.upserted event")
    MessageAndMetadata taskUpserted() throws Exception {
        return delivered("task.upserted", false);
    }

    @PactVerifyProvider("a task.deleted event")
    MessageAndMetadata taskDeleted() throws Exception {
        return delivered("task.deleted", true);
    }

    /** The first body of this event type the worker delivered after an endpoint wanting it and a task's write(s). */
    private MessageAndMetadata delivered(String type, boolean deleteIt) throws Exception {
        TestUser user = register();
        call(post("/api/v1/webhooks").header("Authorization", user.bearer()).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("url", receiver.url(), "event_types", List.of(type)))));
        String task = body(call(post("/api/v1/tasks").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"for the receiver\"}"))).get("id").asString();
        if (deleteIt) {
            call(delete("/api/v1/tasks/" + task).header("Authorization", user.bearer()));
        }
        Receiver.await("the " + type + " event", Duration.ofSeconds(30),
                () -> receiver.requests.stream().anyMatch(r -> r.body().contains("\"" + type + "\"")));
        String body = receiver.requests.stream().filter(r -> r.body().contains("\"" + type + "\"")).findFirst().orElseThrow().body();
        return new MessageAndMetadata(body.getBytes(StandardCharsets.UTF_8), Map.of("contentType", "application/json"));
    }
}
