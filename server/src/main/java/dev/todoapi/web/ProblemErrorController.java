package dev.todoapi.web;

import dev.todoapi.api.model.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reached a controller (raised in filters or by the servlet container) land on
 * /error; they get the same problem+json as the rest, never a Whitelabel page or a stack trace.
 */
@RestController
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Problem> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer i ? i : HttpStatus.NOT_FOUND.value();
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        Throwable exception = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (ApiExceptionHandler.hasCause(exception, RequestBodyLimitFilter.BodyTooLargeException.class)) {
            status = HttpStatus.CONTENT_TOO_LARGE.value();
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String detail = switch (code) {
            case NOT_FOUND -> "No resource at " + path + ".";
            case INTERNAL_ERROR -> "An unexpected error occurred. Quote the request id when reporting it.";
            default -> null;
        };
        if (status >= 500) {
            log.error("Unhandled error on {}", path, exception);
        }
        Problem problem = Problems.problem(HttpStatusCode.valueOf(status), code.name(), detail, path, List.of());
        return ResponseEntity.status(status).contentType(Problems.PROBLEM_JSON).body(problem);
    }
}
