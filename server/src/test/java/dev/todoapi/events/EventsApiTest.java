package dev.todoapi.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.testsupport.ApiTestBase;
import dev.todoapi.testsupport.TestUser;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/**
 * The event stream's requests and refusals through MockMvc (each exchange checked against the contract): tickets,
 * limits, bad positions. What streams carry, across instances, is EventStreamTest's, on real sockets.
 */
class EventsApiTest extends ApiTestBase {

    private MvcResult open(String query, TestUser user) throws Exception {
        var request = get("/api/v1/events" + query).accept("text/event-stream");
        return call(user == null ? request : request.header("Authorization", user.bearer()));
    }

    @Test
    void aStreamOpensWithATokenOrATicketAndAnsweringAComment() throws Exception {
        TestUser ada = register();
        MvcResult stream = open("", ada);
        assertThat(stream.getResponse().getStatus()).isEqualTo(200);
        assertThat(stream.getRequest().isAsyncStarted()).as("an async response: no thread held").isTrue();
        assertThat(stream.getResponse().getContentType()).startsWith("text/event-stream");
        assertThat(stream.getResponse().getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(stream.getResponse().getContentAsString()).startsWith(":connected");

        MvcResult issued = call(post("/api/v1/events/tickets").header("Authorization", ada.bearer()));
        assertThat(issued.getResponse().getStatus()).isEqualTo(201);
        JsonNode ticket = body(issued);
        assertThat(ticket.get("expires_in").asInt()).isEqualTo(60);
        String value = ticket.get("ticket").asString();
        assertThat(value).startsWith("st_").hasSizeGreaterThan(30);

        MvcResult byTicket = call(get("/api/v1/events?ticket=" + value).accept("text/event-stream"));
        assertThat(byTicket.getResponse().getStatus()).isEqualTo(200);
        assertThat(byTicket.getResponse().getContentAsString()).startsWith(":connected");

        MvcResult again = callBad(get("/api/v1/events?ticket=" + value).accept("text/event-stream"));
        assertThat(again.getResponse().getStatus()).as("a ticket opens one stream, once").isEqualTo(401);
        assertThat(body(again).get("code").asString()).isEqualTo("INVALID_TICKET");
    }

    @Test
    void aTicketIsNoAccessTokenAndAnAccessTokenIsNoTicket() throws Exception {
        TestUser ada = register();
        String ticket = body(call(post("/api/v1/events/tickets").header("Authorization", ada.bearer()))).get("ticket").asString();

        MvcResult elsewhere = callBad(get("/api/v1/tasks?ticket=" + ticket));
        assertThat(elsewhere.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(elsewhere).get("code").asString()).isEqualTo("MISSING_TOKEN");
        MvcResult asBearer = callBad(get("/api/v1/tasks").header("Authorization", "Bearer " + ticket));
        assertThat(asBearer.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(asBearer).get("code").asString()).isEqualTo("INVALID_TOKEN");

        MvcResult tokenAsTicket = callBad(get("/api/v1/events?ticket=" + ada.accessToken()).accept("text/event-stream"));
        assertThat(tokenAsTicket.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(tokenAsTicket).get("code").asString()).isEqualTo("INVALID_TICKET");
        MvcResult none = callBad(get("/api/v1/events").accept("text/event-stream"));
        assertThat(none.getResponse().getStatus()).isEqualTo(401);
        assertThat(body(none).get("code").asString()).isEqualTo("MISSING_TOKEN");

        // The ticket was not used up by the refusals above: it still opens its one stream.
        assertThat(call(get("/api/v1/events?ticket=" + ticket).accept("text/event-stream")).getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void pastTheLimitPerUserAStreamIsRefusedWith429() throws Exception {
        TestUser ada = register();
        for (int i = 0; i < 10; i++) {
            assertThat(open("", ada).getResponse().getStatus()).isEqualTo(200);
        }
        MvcResult refused = callBad(get("/api/v1/events").accept("text/event-stream").header("Authorization", ada.bearer()));
        assertThat(refused.getResponse().getStatus()).isEqualTo(429);
        assertThat(refused.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(refused.getResponse().getHeader("Retry-After")).isEqualTo("30");
        assertThat(body(refused).get("code").asString()).isEqualTo("TOO_MANY_STREAMS");
        assertThat(open("", register()).getResponse().getStatus()).as("another user is not limited by Ada's").isEqualTo(200);
    }

    @Test
    void aPositionThatIsNoTokenOfOursIs422() throws Exception {
        TestUser ada = register();
        MvcResult garbage = callBad(get("/api/v1/events?token=not-a-token").accept("text/event-stream").header("Authorization", ada.bearer()));
        assertThat(garbage.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(garbage).get("errors").get(0).get("code").asString()).isEqualTo("INVALID_SYNC_TOKEN");
        MvcResult header = callBad(get("/api/v1/events").accept("text/event-stream").header("Authorization", ada.bearer())
                .header("Last-Event-ID", "%%%"));
        assertThat(header.getResponse().getStatus()).isEqualTo(422);
        MvcResult tooLong = callBad(get("/api/v1/events?token=" + "a".repeat(1025)).accept("text/event-stream")
                .header("Authorization", ada.bearer()));
        assertThat(tooLong.getResponse().getStatus()).isEqualTo(422);
    }
}
