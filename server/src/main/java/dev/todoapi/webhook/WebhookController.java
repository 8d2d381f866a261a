package dev.todoapi.webhook;

import dev.todoapi.api.WebhooksApi;
import dev.todoapi.api.model.WebhookDelivery;
import dev.todoapi.api.model.WebhookDeliveryPage;
import dev.todoapi.api.model.WebhookEndpoint;
import dev.todoapi.api.model.WebhookEndpointCreate;
import dev.todoapi.api.model.WebhookEndpointList;
import dev.todoapi.api.model.WebhookEndpointPatch;
import dev.todoapi.api.model.WebhookEndpointWithSecret;
import dev.todoapi.api.model.WebhookEventType;
import dev.todoapi.auth.CurrentUser;
import dev.todoapi.db.jooq.tables.records.WebhookDeliveriesRecord;
import dev.todoapi.db.jooq.tables.records.WebhookEndpointsRecord;
import dev.todoapi.web.MergePatch;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class WebhookController implements WebhooksApi {

    private final Webhooks webhooks;
    private final CurrentUser currentUser;

    WebhookController(Webhooks webhooks, CurrentUser currentUser) {
        this.webhooks = webhooks;
        this.currentUser = currentUser;
    }

    @Override
    public ResponseEntity<WebhookEndpointList> listWebhooks() {
        return ResponseEntity.ok(new WebhookEndpointList(webhooks.list(currentUser.id()).stream().map(WebhookController::endpoint).toList()));
    }

    @Override
    public ResponseEntity<WebhookEndpointWithSecret> createWebhook(WebhookEndpointCreate body) {
        var created = webhooks.create(currentUser.id(), new Webhooks.Create(body.getUrl(), body.getDescription(),
                wire(body.getEventTypes()), body.getEnabled() == null || body.getEnabled()));
        return ResponseEntity.created(URI.create("/api/v1/webhooks/" + created.endpoint().getId())).body(withSecret(created));
    }

    @Override
    public ResponseEntity<WebhookEndpoint> getWebhook(UUID webhookId) {
        return ResponseEntity.ok(endpoint(webhooks.get(currentUser.id(), webhookId)));
    }

    @Override
    public ResponseEntity<WebhookEndpoint> updateWebhook(UUID webhookId, WebhookEndpointPatch body) {
        MergePatch patch = MergePatch.current();
        var changes = new Webhooks.Update(patch.has("url"), body.getUrl(), patch.has("description"), body.getDescription(),
                patch.has("event_types"), wire(body.getEventTypes()), patch.has("enabled"), body.getEnabled());
        return ResponseEntity.ok(endpoint(webhooks.update(currentUser.id(), webhookId, changes)));
    }

    @Override
    public ResponseEntity<Void> deleteWebhook(UUID webhookId) {
        webhooks.delete(currentUser.id(), webhookId);
        return ResponseEntity.noContent().build();
    }

    @Override
    public ResponseEntity<WebhookEndpointWithSecret> rotateWebhookSecret(UUID webhookId) {
        return ResponseEntity.ok(withSecret(webhooks.rotate(currentUser.id(), webhookId)));
    }

    @Override
    public ResponseEntity<WebhookDelivery> testWebhook(UUID webhookId) {
        return ResponseEntity.ok(delivery(webhooks.test(currentUser.id(), webhookId)));
    }

    @Override
    public ResponseEntity<WebhookDeliveryPage> listWebhookDeliveries(UUID webhookId, Integer limit, @Nullable String cursor) {
        Webhooks.DeliveryPage page = webhooks.deliveries(currentUser.id(), webhookId, limit == null ? 20 : limit, cursor);
        String userId = currentUser.id();
        var types = webhooks.eventTypes(userId, page.items().stream().map(WebhookDeliveriesRecord::getMessageId).toList());
        WebhookDeliveryPage out = new WebhookDeliveryPage(page.items().stream()
                .map(row -> delivery(new Webhooks.Attempt(row, types.get(row.getMessageId())))).toList());
        out.setNextCursor(page.nextCursor());
        return ResponseEntity.ok(out);
    }

    @Override
    public ResponseEntity<WebhookDelivery> redeliverWebhook(UUID webhookId, UUID deliveryId) {
        return ResponseEntity.ok(delivery(webhooks.redeliver(currentUser.id(), webhookId, deliveryId)));
    }

    private static @Nullable List<String> wire(@Nullable List<WebhookEventType> types) {
        return types == null || types.isEmpty() ? null : types.stream().map(WebhookEventType::getValue).toList();
    }

    static WebhookEndpoint endpoint(WebhookEndpointsRecord row) {
        WebhookEndpoint out = new WebhookEndpoint(row.getId(), row.getUrl(), row.getEnabled(), row.getCreatedAt(), row.getUpdatedAt());
        out.setDescription(row.getDescription());
        List<String> types = Webhooks.types(row);
        out.setEventTypes(types == null ? null : types.stream().map(WebhookEventType::fromValue).toList());
        out.setDisabledReason(row.getDisabledReason());
        out.setDisabledAt(row.getDisabledAt());
        out.setFailingSince(row.getFailingSince());
        if (row.getPreviousSecretExpiresAt() != null && row.getPreviousSecretExpiresAt().isAfter(Webhooks.now())) {
            out.setPreviousSecretExpiresAt(row.getPreviousSecretExpiresAt());
        }
        return out;
    }

    static WebhookEndpointWithSecret withSecret(Webhooks.WithSecret created) {
        WebhookEndpointsRecord row = created.endpoint();
        WebhookEndpoint e = endpoint(row);
        WebhookEndpointWithSecret out = new WebhookEndpointWithSecret(created.secret(), e.getId(), e.getUrl(), e.getEnabled(),
                e.getCreatedAt(), e.getUpdatedAt());
        out.setDescription(e.getDescription());
        out.setEventTypes(e.getEventTypes());
        out.setDisabledReason(e.getDisabledReason());
        out.setDisabledAt(e.getDisabledAt());
        out.setFailingSince(e.getFailingSince());
        out.setPreviousSecretExpiresAt(e.getPreviousSecretExpiresAt());
        return out;
    }

    static WebhookDelivery delivery(Webhooks.Attempt attempt) {
        WebhookDeliveriesRecord row = attempt.delivery();
        WebhookDelivery out = new WebhookDelivery(row.getId(), Webhooks.messageId(row.getMessageId()),
                WebhookEventType.fromValue(attempt.eventType()), row.getAttempt(),
                WebhookDelivery.TriggerEnum.fromValue(row.getTrigger()), WebhookDelivery.StatusEnum.fromValue(row.getStatus()),
                row.getLatencyMs(), row.getAttemptedAt());
        out.setResponseStatus(row.getResponseStatus());
        out.setError(row.getError());
        out.setResponseBody(row.getResponseBody());
        out.setNextAttemptAt(row.getNextAttemptAt());
        return out;
    }
}
