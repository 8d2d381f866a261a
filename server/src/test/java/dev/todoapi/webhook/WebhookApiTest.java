package dev.todoapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.todoapi.db.jooq.Tables;
import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class WebhookApiTest extends TaskApiTestBase {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestUser ada;
    private Receiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        ada = register();
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        // No retries of this test's events in the background of the next ones. (Disabled, not deleted: a delete
        // cascades to events a worker may hold, in the opposite order of its locks.)
        db.update(Tables.WEBHOOK_ENDPOINTS).set(Tables.WEBHOOK_ENDPOINTS.ENABLED, false).execute();
        if (receiver != null) {
            receiver.close();
        }
    }

    private JsonNode createEndpoint(TestUser user, Map<String, Object> body) throws Exception {
        MvcResult created = call(post("/api/v1/webhooks").header("Authorization", user.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)));
        assertThat(created.getResponse().getStatus()).as(created.getResponse().getContentAsString()).isEqualTo(201);
        return body(created);
    }

    private JsonNode createEndpoint() throws Exception {
        return createEndpoint(ada, Map.of("url", receiver.url()));
    }

    private JsonNode deliveries(TestUser user, String endpointId) throws Exception {
        return body(call(get("/api/v1/webhooks/" + endpointId + "/deliveries?limit=100").header("Authorization", user.bearer())));
    }

    /** The Standard Webhooks signature, computed here from the spec (the node test uses the standardwebhooks library). */
    static String sign(String secret, Receiver.Request request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        byte[] signed = mac.doFinal((request.id() + "." + request.timestamp() + "." + request.body()).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(signed);
    }

    @Test
    void endpointsAreCreatedListedChangedAndDeletedAndTheSecretIsShownOnce() throws Exception {
        JsonNode created = createEndpoint(ada, Map.of("url", receiver.url(), "description", "dashboard",
                "event_types", List.of("task.deleted", "task.upserted")));
        String id = created.get("id").asString();
        String secret = created.get("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(24);
        assertThat(created.get("enabled").asBoolean()).isTrue();
        assertThat(created.get("event_types").toString()).isEqualTo("[\"task.upserted\",\"task.deleted\"]");

        JsonNode one = body(call(get("/api/v1/webhooks/" + id).header("Authorization", ada.bearer())));
        assertThat(one.has("secret")).isFalse();
        assertThat(one.get("description").asString()).isEqualTo("dashboard");
        JsonNode list = body(call(get("/api/v1/webhooks").header("Authorization", ada.bearer())));
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("items").get(0).has("secret")).isFalse();
        assertThat(list.toString()).doesNotContain(secret.substring(6));

        JsonNode changed = body(call(patch("/api/v1/webhooks/" + id).header("Authorization", ada.bearer())
                .contentType("application/merge-patch+json").content("{\"event_types\": null, \"description\": null, \"enabled\": false}")));
        assertThat(changed.has("event_types")).as("every type").isFalse();
        assertThat(changed.has("description")).isFalse();
        assertThat(changed.get("enabled").asBoolean()).isFalse();
        assertThat(changed.get("url").asString()).isEqualTo(receiver.url());

        MvcResult refused = callBad(patch("/api/v1/webhooks/" + id).header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content("{\"url\": \"https://10.0.0.1/hook\"}"));
        assertThat(refused.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(refused).get("code").asString()).isEqualTo("WEBHOOK_URL_FORBIDDEN");

        assertThat(call(delete("/api/v1/webhooks/" + id).header("Authorization", ada.bearer())).getResponse().getStatus()).isEqualTo(204);
        assertThat(callBad(get("/api/v1/webhooks/" + id).header("Authorization", ada.bearer())).getResponse().getStatus()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "http://127.0.0.1/hook, WEBHOOK_URL_FORBIDDEN",
        "http://127.1.2.3:8080/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[::1]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://localhost:8080/hook, WEBHOOK_URL_FORBIDDEN",
        "https://10.1.2.3/hook, WEBHOOK_URL_FORBIDDEN",
        "https://172.16.0.1/hook, WEBHOOK_URL_FORBIDDEN",
        "https://192.168.1.1/hook, WEBHOOK_URL_FORBIDDEN",
        "http://169.254.169.254/latest/meta-data/, WEBHOOK_URL_FORBIDDEN",
        "https://100.64.0.1/hook, WEBHOOK_URL_FORBIDDEN",
        "https://0.0.0.0/hook, WEBHOOK_URL_FORBIDDEN",
        "https://224.0.0.1/hook, WEBHOOK_URL_FORBIDDEN",
        "https://255.255.255.255/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[::ffff:127.0.0.1]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[::ffff:169.254.169.254]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[::ffff:7f00:1]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[64:ff9b::a9fe:a9fe]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[2002:7f00:1::]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[::]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[fe80::1]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[fd00:ec2::254]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://[ff02::1]/hook, WEBHOOK_URL_FORBIDDEN",
        "http://2130706433/hook, WEBHOOK_URL_FORBIDDEN",
        "http://0x7f.0.0.1/hook, WEBHOOK_URL_INVALID",
        "ftp://example.com/hook, WEBHOOK_URL_INVALID",
        "file:///etc/passwd, WEBHOOK_URL_INVALID",
        "gopher://127.0.0.2:70/x, WEBHOOK_URL_INVALID",
        "javascript:alert(1), WEBHOOK_URL_INVALID",
        "http://user:pw@127.0.0.2/hook, WEBHOOK_URL_INVALID",
        "//127.0.0.2/hook, WEBHOOK_URL_INVALID",
        "not a url, WEBHOOK_URL_INVALID",
        "https://no-such-host.invalid/hook, WEBHOOK_URL_UNRESOLVABLE",
    })
    void hostileUrlsAreRefusedNamingTheField(String url, String code) throws Exception {
        MvcResult refused = callBad(post("/api/v1/webhooks").header("Authorization", ada.bearer())
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("url", url))));
        assertThat(refused.getResponse().getStatus()).as(refused.getResponse().getContentAsString()).isEqualTo(422);
        assertThat(refused.getResponse().getContentType()).startsWith("application/problem+json");
        JsonNode problem = body(refused);
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("url");
        assertThat(problem.get("errors").get(0).get("code").asString()).isEqualTo(code);
        assertThat(db.fetchCount(Tables.WEBHOOK_ENDPOINTS)).isZero();
    }

    @Test
    void anotherUsersEndpointsAreNotFound() throws Exception {
        String id = createEndpoint().get("id").asString();
        JsonNode test = body(call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer())));
        String delivery = test.get("id").asString();
        TestUser eve = register();
        String bearer = eve.bearer();
        List<MvcResult> answers = List.of(
                callBad(get("/api/v1/webhooks/" + id).header("Authorization", bearer)),
                callBad(patch("/api/v1/webhooks/" + id).header("Authorization", bearer).contentType(MediaType.APPLICATION_JSON).content("{\"enabled\": false}")),
                callBad(post("/api/v1/webhooks/" + id + "/rotate-secret").header("Authorization", bearer)),
                callBad(post("/api/v1/webhooks/" + id + "/test").header("Authorization", bearer)),
                callBad(get("/api/v1/webhooks/" + id + "/deliveries").header("Authorization", bearer)),
                callBad(post("/api/v1/webhooks/" + id + "/deliveries/" + delivery + "/redeliver").header("Authorization", bearer)),
                callBad(delete("/api/v1/webhooks/" + id).header("Authorization", bearer)));
        for (MvcResult answer : answers) {
            assertThat(answer.getResponse().getStatus()).as(answer.getRequest().getRequestURI()).isEqualTo(404);
        }
        assertThat(body(call(get("/api/v1/webhooks").header("Authorization", bearer))).get("items")).isEmpty();
        assertThat(body(call(get("/api/v1/webhooks/" + id).header("Authorization", ada.bearer()))).get("enabled").asBoolean()).isTrue();
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void everyChangeReachesTheEndpointSignedAndInFeedOrder() throws Exception {
        JsonNode endpoint = createEndpoint();
        String secret = endpoint.get("secret").asString();
        // Each write waits for its event: a resource changed twice before the worker reads the feed is one event
        // (its latest state), as in the feed itself.
        String task = createTask(ada, "{\"title\": \"one\"}").get("id").asString();
        awaitEvent("task.upserted", task);
        call(patch("/api/v1/tasks/" + task).header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON).content("{\"title\": \"two\"}"));
        Receiver.await("the edit", WAIT, () -> receiver.requests.stream().filter(r -> r.body().contains("\"task.upserted\"")).count() >= 2);
        String tag = body(call(post("/api/v1/tags").header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"work\"}"))).get("id").asString();
        awaitEvent("tag.upserted", tag);
        call(delete("/api/v1/tasks/" + task).header("Authorization", ada.bearer()));
        awaitEvent("task.deleted", task);
        call(delete("/api/v1/tags/" + tag).header("Authorization", ada.bearer()));
        awaitEvent("tag.deleted", tag);

        List<String> seen = new ArrayList<>();
        String lastToken = null;
        for (Receiver.Request request : receiver.requests) {
            assertThat(request.id()).startsWith("msg_");
            assertThat(request.timestamp()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
            assertThat(request.signature()).isEqualTo(sign(secret, request));
            JsonNode event = json.readTree(request.body());
            seen.add(event.get("type").asString() + " " + event.get("data").get("id").asString());
            lastToken = event.get("data").get("sync_token").asString();
        }
        // Each write is one or more feed entries in commit order: the task (and its list, whose counts changed), the
        // tag, the task's deletion, the tag's deletion. A resource changed twice before the worker read it appears once.
        assertThat(seen).contains("task.upserted " + task, "tag.upserted " + tag, "task.deleted " + task, "tag.deleted " + tag);
        assertThat(seen.indexOf("task.deleted " + task)).isGreaterThan(seen.lastIndexOf("task.upserted " + task));
        assertThat(seen.indexOf("tag.deleted " + tag)).isGreaterThan(seen.indexOf("task.deleted " + task));
        assertThat(receiver.distinct()).hasSameSizeAs(receiver.requests);

        // The last event's token is the feed's position after it: syncing from it brings nothing new.
        JsonNode sync = body(call(get("/api/v1/sync").param("token", lastToken).header("Authorization", ada.bearer())));
        assertThat(sync.get("changes")).isEmpty();

        String endpointId = endpoint.get("id").asString();
        Receiver.await("the log of every attempt", WAIT, () -> {
            try {
                return deliveries(ada, endpointId).get("items").size() == receiver.requests.size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode log = deliveries(ada, endpointId).get("items");
        assertThat(log.get(0).get("status").asString()).isEqualTo("succeeded");
        assertThat(log.get(0).get("response_status").asInt()).isEqualTo(204);
        assertThat(log.get(0).get("trigger").asString()).isEqualTo("scheduled");
        assertThat(log.get(0).get("attempt").asInt()).isEqualTo(1);
        assertThat(log.get(0).get("event_type").asString()).isEqualTo("tag.deleted");
    }

    private void awaitEvent(String type, String id) throws InterruptedException {
        Receiver.await(type + " " + id, WAIT, () -> receiver.requests.stream()
                .anyMatch(r -> r.body().contains("\"" + type + "\"") && r.body().contains(id)));
    }

    @Test
    void onlyTheWantedTypesAreSent() throws Exception {
        createEndpoint(ada, Map.of("url", receiver.url(), "event_types", List.of("tag.upserted")));
        createTask(ada, "{\"title\": \"ignored\"}");
        call(post("/api/v1/tags").header("Authorization", ada.bearer()).contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"kept\"}"));
        Receiver.await("the tag", WAIT, () -> !receiver.requests.isEmpty());
        Thread.sleep(500);
        assertThat(receiver.requests).hasSize(1);
        assertThat(receiver.requests.getFirst().body()).contains("\"tag.upserted\"");
    }

    @Test
    void failedAttemptsAreRetriedWithBackoffUnderTheSameIdAndLogged() throws Exception {
        String id = createEndpoint().get("id").asString();
        receiver.answer(503, 2);
        receiver.script.add(new Receiver.Answer(204, Duration.ofMillis(1500), "")); // past the 1 s timeout of the tests
        String first = createTask(ada, "{\"title\": \"first\"}").get("id").asString();
        String second = createTask(ada, "{\"title\": \"second\"}").get("id").asString();

        Receiver.await("both tasks", WAIT, () -> receiver.requests.stream().filter(r -> r.body().contains(second)).count() >= 1
                && receiver.requests.size() >= 5);
        List<Receiver.Request> requests = receiver.requests;
        // The head is retried until it is acknowledged; nothing after it goes first (order per endpoint).
        String headId = requests.get(0).id();
        assertThat(requests.subList(0, 4)).extracting(Receiver.Request::id).containsOnly(headId);
        assertThat(requests.stream().filter(r -> r.body().contains(first))).isNotEmpty();
        long gap1 = requests.get(1).receivedAtMillis() - requests.get(0).receivedAtMillis();
        long gap2 = requests.get(2).receivedAtMillis() - requests.get(1).receivedAtMillis();
        assertThat(gap1).as("first backoff (200 ms, jittered 0.5-1)").isGreaterThanOrEqualTo(90);
        assertThat(gap2).as("second backoff (400 ms, jittered)").isGreaterThanOrEqualTo(190);

        JsonNode log = deliveries(ada, id).get("items");
        List<JsonNode> head = new ArrayList<>();
        log.forEach(d -> {
            if (d.get("message_id").asString().equals(headId)) {
                head.add(d);
            }
        });
        head.sort(java.util.Comparator.comparingInt(d -> d.get("attempt").asInt()));
        assertThat(head).hasSize(4);
        assertThat(head.get(0).get("status").asString()).isEqualTo("failed");
        assertThat(head.get(0).get("response_status").asInt()).isEqualTo(503);
        assertThat(head.get(0).get("error").asString()).isEqualTo("HTTP 503");
        assertThat(head.get(0).get("response_body").asString()).isEqualTo("status 503");
        assertThat(head.get(0).has("next_attempt_at")).isTrue();
        assertThat(head.get(2).get("error").asString()).contains("timed out");
        assertThat(head.get(2).has("response_status")).isFalse();
        assertThat(head.get(3).get("status").asString()).isEqualTo("succeeded");
        assertThat(head.get(3).get("attempt").asInt()).isEqualTo(4);
        assertThat(head.get(3).has("next_attempt_at")).isFalse();

        JsonNode endpoint = body(call(get("/api/v1/webhooks/" + id).header("Authorization", ada.bearer())));
        assertThat(endpoint.has("failing_since")).as("a success clears it").isFalse();
    }

    @Test
    void aDeliveryCanBeSentAgainWithItsId() throws Exception {
        String id = createEndpoint().get("id").asString();
        String task = createTask(ada, "{\"title\": \"again\"}").get("id").asString();
        Receiver.await("the task", WAIT, () -> receiver.requests.stream().anyMatch(r -> r.body().contains(task)));
        Receiver.await("the log", WAIT, () -> {
            try {
                return deliveries(ada, id).get("items").size() == receiver.requests.size();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        JsonNode original = deliveries(ada, id).get("items").get(0);
        int before = receiver.requests.size();

        JsonNode again = body(call(post("/api/v1/webhooks/" + id + "/deliveries/" + original.get("id").asString() + "/redeliver")
                .header("Authorization", ada.bearer())));
        assertThat(again.get("trigger").asString()).isEqualTo("redelivery");
        assertThat(again.get("status").asString()).isEqualTo("succeeded");
        assertThat(again.get("message_id").asString()).isEqualTo(original.get("message_id").asString());
        assertThat(again.get("attempt").asInt()).isEqualTo(original.get("attempt").asInt() + 1);
        assertThat(receiver.requests).hasSize(before + 1);
        Receiver.Request resent = receiver.requests.getLast();
        assertThat(resent.id()).isEqualTo(original.get("message_id").asString());
        assertThat(receiver.requests.stream().filter(r -> r.id().equals(resent.id())).map(Receiver.Request::body).distinct()).hasSize(1);

        MvcResult unknown = callBad(post("/api/v1/webhooks/" + id + "/deliveries/" + UUID.randomUUID() + "/redeliver")
                .header("Authorization", ada.bearer()));
        assertThat(unknown.getResponse().getStatus()).isEqualTo(404);
        assertThat(body(unknown).get("code").asString()).isEqualTo("WEBHOOK_DELIVERY_NOT_FOUND");
    }

    @Test
    void aTestEventIsSentAtOnceAndLogged() throws Exception {
        JsonNode endpoint = createEndpoint();
        String id = endpoint.get("id").asString();
        receiver.script.add(new Receiver.Answer(500, Duration.ZERO, "x".repeat(10_000)));
        JsonNode failed = body(call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer())));
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("response_status").asInt()).isEqualTo(500);
        assertThat(failed.get("response_body").asString()).hasSize(4096);
        assertThat(failed.get("event_type").asString()).isEqualTo("webhook.test");
        assertThat(failed.has("next_attempt_at")).as("tests are not retried").isFalse();

        JsonNode ok = body(call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer())));
        assertThat(ok.get("status").asString()).isEqualTo("succeeded");
        assertThat(ok.get("trigger").asString()).isEqualTo("test");
        assertThat(ok.get("latency_ms").asInt()).isGreaterThanOrEqualTo(0);
        Receiver.Request request = receiver.requests.getLast();
        assertThat(request.signature()).isEqualTo(sign(endpoint.get("secret").asString(), request));
        JsonNode event = json.readTree(request.body());
        assertThat(event.get("type").asString()).isEqualTo("webhook.test");
        assertThat(event.get("data").get("id").asString()).isEqualTo(id);

        // Keyset pages of the log, newest first.
        JsonNode page1 = body(call(get("/api/v1/webhooks/" + id + "/deliveries?limit=1").header("Authorization", ada.bearer())));
        assertThat(page1.get("items").get(0).get("id").asString()).isEqualTo(ok.get("id").asString());
        JsonNode page2 = body(call(get("/api/v1/webhooks/" + id + "/deliveries").param("limit", "1")
                .param("cursor", page1.get("next_cursor").asString()).header("Authorization", ada.bearer())));
        assertThat(page2.get("items").get(0).get("id").asString()).isEqualTo(failed.get("id").asString());
        assertThat(page2.has("next_cursor")).isFalse();
    }

    @Test
    void afterARotationBothSecretsSignUntilTheGracePeriodEnds() throws Exception {
        JsonNode endpoint = createEndpoint();
        String id = endpoint.get("id").asString();
        String oldSecret = endpoint.get("secret").asString();
        JsonNode rotated = body(call(post("/api/v1/webhooks/" + id + "/rotate-secret").header("Authorization", ada.bearer())));
        String newSecret = rotated.get("secret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(OffsetDateTime.parse(rotated.get("previous_secret_expires_at").asString()))
                .isAfter(OffsetDateTime.now().plusHours(23));

        call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer()));
        Receiver.Request request = receiver.requests.getLast();
        assertThat(request.signature().split(" ")).containsExactly(sign(newSecret, request), sign(oldSecret, request));

        db.update(Tables.WEBHOOK_ENDPOINTS).set(Tables.WEBHOOK_ENDPOINTS.PREVIOUS_SECRET_EXPIRES_AT, OffsetDateTime.now().minusSeconds(1))
                .where(Tables.WEBHOOK_ENDPOINTS.ID.eq(UUID.fromString(id))).execute();
        call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer()));
        Receiver.Request later = receiver.requests.getLast();
        assertThat(later.signature()).isEqualTo(sign(newSecret, later));
        assertThat(body(call(get("/api/v1/webhooks/" + id).header("Authorization", ada.bearer()))).has("previous_secret_expires_at")).isFalse();
    }

    @Test
    void anEndpointFailingForDaysIsDisabledWithANotice() throws Exception {
        String failing = createEndpoint(ada, Map.of("url", receiver.url(), "event_types", List.of("task.upserted"))).get("id").asString();
        try (Receiver watcher = new Receiver()) {
            String watching = createEndpoint(ada, Map.of("url", watcher.url(), "event_types", List.of("endpoint.disabled"))).get("id").asString();
            // It has failed for six days already (the default limit is five).
            db.update(Tables.WEBHOOK_ENDPOINTS).set(Tables.WEBHOOK_ENDPOINTS.FAILING_SINCE, OffsetDateTime.now().minusDays(6))
                    .where(Tables.WEBHOOK_ENDPOINTS.ID.eq(UUID.fromString(failing))).execute();
            receiver.answer(500, 1);
            createTask(ada, "{\"title\": \"the last straw\"}");

            Receiver.await("the notice", WAIT, () -> !watcher.requests.isEmpty());
            JsonNode notice = json.readTree(watcher.requests.getFirst().body());
            assertThat(notice.get("type").asString()).isEqualTo("endpoint.disabled");
            assertThat(notice.get("data").get("id").asString()).isEqualTo(failing);
            assertThat(notice.get("data").get("reason").asString()).contains("failed since");

            JsonNode endpoint = body(call(get("/api/v1/webhooks/" + failing).header("Authorization", ada.bearer())));
            assertThat(endpoint.get("enabled").asBoolean()).isFalse();
            assertThat(endpoint.get("disabled_reason").asString()).contains("failed since");
            JsonNode log = deliveries(ada, failing).get("items");
            assertThat(log.get(0).get("event_type").asString()).isEqualTo("endpoint.disabled");
            assertThat(log.get(0).get("trigger").asString()).isEqualTo("notice");
            assertThat(log.get(0).get("status").asString()).isEqualTo("skipped");
            assertThat(log.get(1).get("status").asString()).isEqualTo("failed");
            assertThat(watching).isNotEqualTo(failing);

            // Nothing more goes to a disabled endpoint; enabling it again resumes where it stopped.
            int before = receiver.requests.size();
            createTask(ada, "{\"title\": \"while disabled\"}");
            Thread.sleep(600);
            assertThat(receiver.requests).hasSize(before);
            call(patch("/api/v1/webhooks/" + failing).header("Authorization", ada.bearer())
                    .contentType(MediaType.APPLICATION_JSON).content("{\"enabled\": true}"));
            Receiver.await("the events after re-enabling", WAIT,
                    () -> receiver.requests.stream().anyMatch(r -> r.body().contains("task.upserted") && r.receivedAtMillis() > 0
                            && receiver.requests.size() > before));
        }
    }

    @Test
    void anEventIsGivenUpAfterTheRetryWindowAndTheNextOneGoes() throws Exception {
        String id = createEndpoint().get("id").asString();
        receiver.answer(500, 4);
        createTask(ada, "{\"title\": \"doomed\"}");
        Receiver.await("the first attempt", WAIT, () -> !receiver.requests.isEmpty());
        String head = receiver.requests.getFirst().id();
        UUID headId = UUID.fromString(head.substring(4).replaceFirst("(\\p{XDigit}{8})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}+)", "$1-$2-$3-$4-$5"));
        // Its first attempt was more than a day ago (the retry window is 25 hours).
        db.update(Tables.WEBHOOK_MESSAGES).set(Tables.WEBHOOK_MESSAGES.FIRST_ATTEMPT_AT, OffsetDateTime.now().minusHours(26))
                .where(Tables.WEBHOOK_MESSAGES.ID.eq(headId)).execute();
        String second = createTask(ada, "{\"title\": \"fine\"}").get("id").asString();
        Receiver.await("the next event", WAIT, () -> receiver.requests.stream().anyMatch(r -> r.body().contains(second)));
        assertThat(db.select(Tables.WEBHOOK_MESSAGES.STATE).from(Tables.WEBHOOK_MESSAGES).where(Tables.WEBHOOK_MESSAGES.ID.eq(headId))
                .fetchOne(Tables.WEBHOOK_MESSAGES.STATE)).isEqualTo("failed");
        assertThat(id).isNotNull();
    }

    @Test
    void theSenderChecksTheAddressAgainAtDeliveryTime() throws Exception {
        JsonNode endpoint = createEndpoint();
        String id = endpoint.get("id").asString();
        // As if the name now resolved elsewhere: the stored URL points at a refused address.
        db.update(Tables.WEBHOOK_ENDPOINTS).set(Tables.WEBHOOK_ENDPOINTS.URL, "http://127.0.0.1:" + java.net.URI.create(receiver.url()).getPort() + "/hook")
                .where(Tables.WEBHOOK_ENDPOINTS.ID.eq(UUID.fromString(id))).execute();
        JsonNode attempt = body(call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer())));
        assertThat(attempt.get("status").asString()).isEqualTo("failed");
        assertThat(attempt.get("error").asString()).startsWith("WEBHOOK_URL_FORBIDDEN");
        assertThat(receiver.requests).isEmpty();
    }

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    @org.springframework.beans.factory.annotation.Autowired
    WebhookWorker worker;

    /**
     * A second delivery worker (another db-scheduler instance on the same database, as a second server would run)
     * next to the application's: three endpoints of three users, 300 writes; every event arrives exactly once (the
     * receiver acknowledges everything, so at-least-once has no reason to repeat one) and in feed order.
     */
    @Test
    void twoWorkersNeverSendTheSameEventTwice() throws Exception {
        var second = com.github.kagkarlsson.scheduler.Scheduler.create(
                        new org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy(dataSource), List.of(worker.task()))
                .threads(4).pollingInterval(Duration.ofMillis(50))
                .schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed("second-instance")).build();
        second.start();
        try {
            List<TestUser> users = List.of(ada, register(), register());
            for (TestUser user : users) {
                createEndpoint(user, Map.of("url", receiver.url(), "event_types", List.of("task.upserted")));
            }
            List<Thread> writers = new ArrayList<>();
            for (TestUser user : users) {
                Thread writer = new Thread(() -> {
                    try {
                        for (int batch = 0; batch < 2; batch++) {
                            List<Map<String, Object>> commands = new ArrayList<>();
                            for (int i = 0; i < 50; i++) {
                                commands.add(Map.of("id", UUID.randomUUID().toString(), "type", "task.create", "args", Map.of("title", "t" + i)));
                            }
                            MvcResult result = mvc.perform(post("/api/v1/batch").header("Authorization", user.bearer())
                                    .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("commands", commands)))).andReturn();
                            assertThat(result.getResponse().getStatus()).isEqualTo(200);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                writer.start();
                writers.add(writer);
            }
            for (Thread writer : writers) {
                writer.join();
            }
            Receiver.await("300 events", Duration.ofSeconds(60), () -> receiver.requests.size() >= 300);
            Thread.sleep(500);
            assertThat(receiver.requests).hasSize(300);
            assertThat(receiver.distinct()).hasSize(300);
            // Per endpoint (one per user), the feed positions only grow.
            Map<String, Long> lastSeq = new java.util.HashMap<>();
            for (Receiver.Request request : receiver.requests) {
                JsonNode event = json.readTree(request.body());
                JsonNode position = json.readTree(Base64.getUrlDecoder().decode(event.get("data").get("sync_token").asString()));
                String taskId = event.get("data").get("id").asString();
                String owner = db.select(Tables.TASKS.USER_ID).from(Tables.TASKS).where(Tables.TASKS.ID.eq(UUID.fromString(taskId)))
                        .fetchOne(Tables.TASKS.USER_ID);
                long seq = position.get("s").asLong();
                assertThat(seq).as("feed order of %s", owner).isGreaterThanOrEqualTo(lastSeq.getOrDefault(owner, 0L));
                lastSeq.put(owner, seq);
            }
            assertThat(lastSeq).hasSize(3);
        } finally {
            second.stop();
        }
    }

    @org.springframework.beans.factory.annotation.Autowired
    WebhookPruning pruning;

    @Test
    void finishedEventsAndOldAttemptsArePrunedAfterTheSyncWindow() throws Exception {
        String id = createEndpoint().get("id").asString();
        call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer()));
        receiver.answer(500, 1000);
        createTask(ada, "{\"title\": \"still failing\"}");
        Receiver.await("a failed attempt", WAIT, () -> receiver.requests.size() >= 2);
        pruning.prune(OffsetDateTime.now().plusDays(1));
        assertThat(db.fetchCount(Tables.WEBHOOK_MESSAGES, Tables.WEBHOOK_MESSAGES.STATE.eq("test"))).isZero();
        assertThat(db.fetchCount(Tables.WEBHOOK_MESSAGES, Tables.WEBHOOK_MESSAGES.STATE.eq("pending")))
                .as("waiting events are kept").isPositive();
        call(delete("/api/v1/webhooks/" + id).header("Authorization", ada.bearer()));
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        String id = createEndpoint().get("id").asString();
        receiver.answer(307, 1);
        JsonNode attempt = body(call(post("/api/v1/webhooks/" + id + "/test").header("Authorization", ada.bearer())));
        assertThat(attempt.get("status").asString()).isEqualTo("failed");
        assertThat(attempt.get("response_status").asInt()).isEqualTo(307);
        assertThat(attempt.get("error").asString()).contains("redirects are not followed");
    }
}
