package dev.todoapi.security;

import dev.todoapi.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

@Component
public class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private final JsonMapper json;
    private final SecurityEvents events;

    ProblemAccessDeniedHandler(JsonMapper json, SecurityEvents events) {
        this.json = json;
        this.events = events;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        events.forbidden(request, "FORBIDDEN");
        Problems.write(
                json, request, response, HttpStatus.FORBIDDEN, "FORBIDDEN", "You may not do this.");
    }
}
