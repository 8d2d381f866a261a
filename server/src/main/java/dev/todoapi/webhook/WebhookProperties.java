package dev.todoapi.webhook;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook settings; each maps to the environment variable named in application.yaml (README, "Webhooks").
 *
 * @param allowHttp          TODO_WEBHOOKS_ALLOW_HTTP: accept plain-http endpoint URLs (development only)
 * @param allowedHosts       TODO_WEBHOOKS_ALLOWED_HOSTS: CIDRs (127.0.0.1/32, fd00::/8) and host names exempt from the
 *                           address rules (loopback, private, link-local, ...); empty in production
 * @param timeout            TODO_WEBHOOKS_TIMEOUT: connect plus answer, per attempt
 * @param maxResponseBytes   how much of a receiver's answer is read (and kept in the log)
 * @param retryInitialDelay  TODO_WEBHOOKS_RETRY_INITIAL_DELAY: the wait after the first failed attempt (doubling)
 * @param retryMaxDelay      TODO_WEBHOOKS_RETRY_MAX_DELAY: the longest wait between two attempts
 * @param retryFor           TODO_WEBHOOKS_RETRY_FOR: how long an event is retried after its first attempt
 * @param disableAfter       TODO_WEBHOOKS_DISABLE_AFTER: an endpoint failing this long is disabled
 * @param secretGrace        TODO_WEBHOOKS_SECRET_GRACE: how long the old secret still signs after a rotation
 * @param pollInterval       TODO_WEBHOOKS_POLL_INTERVAL: how often the scheduler looks for due work (writes on this
 *                           instance wake it at once)
 * @param threads            TODO_WEBHOOKS_THREADS: endpoints delivered to at once per instance
 * @param workerEnabled      TODO_WEBHOOKS_WORKER: false runs no delivery worker on this instance (API only)
 */
@ConfigurationProperties("todo.webhooks")
public record WebhookProperties(
        @DefaultValue("false") boolean allowHttp,
        @DefaultValue List<String> allowedHosts,
        @DefaultValue("5s") Duration timeout,
        @DefaultValue("4096") int maxResponseBytes,
        @DefaultValue("5s") Duration retryInitialDelay,
        @DefaultValue("1h") Duration retryMaxDelay,
        @DefaultValue("25h") Duration retryFor,
        @DefaultValue("5d") Duration disableAfter,
        @DefaultValue("24h") Duration secretGrace,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("4") int threads,
        @DefaultValue("true") boolean workerEnabled) {}
