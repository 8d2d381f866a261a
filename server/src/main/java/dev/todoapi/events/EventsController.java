package dev.todoapi.events;

import dev.todoapi.auth.CurrentUser;
import dev.todoapi.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/v1/events} (operation streamEvents of the contract). The one endpoint not implemented through its
 * generated interface ({@code EventsApi}): for {@code text/event-stream} the generator's Spring MVC signature returns a
 * {@code ResponseEntity<String>}, a body written once, while a stream is an async response written for hours. The
 * mapping, parameters and limits here are the contract's ({@code EventsApiTest} checks them against it).
 */
@RestController
class EventsController {

    private static final int MAX_TOKEN = 1024;

    private final EventStreams streams;
    private final CurrentUser currentUser;

    EventsController(EventStreams streams, CurrentUser currentUser) {
        this.streams = streams;
        this.currentUser = currentUser;
    }

    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter streamEvents(
            @RequestParam(name = "token", required = false) @Nullable String token,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            @RequestParam(name = "ticket", required = false) @Nullable String ticket,
            HttpServletResponse response) {
        check("token", token);
        check("Last-Event-ID", lastEventId);
        if (ticket != null && ticket.length() > 256) {
            throw ApiException.validation("ticket", "TOO_LONG", "must be at most 256 characters");
        }
        String from = lastEventId != null && !lastEventId.isBlank() ? lastEventId : token;
        SseEmitter emitter = streams.open(currentUser.id(), from);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no"); // nginx: pass events on at once
        return emitter;
    }

    private static void check(String field, @Nullable String value) {
        if (value != null && value.length() > MAX_TOKEN) {
            throw ApiException.validation(field, "TOO_LONG", "must be at most " + MAX_TOKEN + " characters");
        }
    }
}
