package dev.todoapi.web;

import dev.todoapi.api.model.FieldError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests that are not well-formed HTTP get {@code 400 MALFORMED_REQUEST} before anything reads them, for
 * every route: a query string or form body with a broken percent-encoding (Tomcat refuses to decode it, and
 * would throw from whichever component reads a parameter first), and header values with bytes their grammar
 * does not allow. Control characters (other than HTAB) are refused in every header (RFC 9110 field-value);
 * non-ASCII is refused in the headers this API interprets, whose grammars are ASCII, and allowed elsewhere
 * as RFC 9110's obs-text. The problem names the offending header or says which part was malformed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 4) // after the request id and the body limit; before rate limits, validation and security
public class MalformedRequestFilter extends OncePerRequestFilter {

    /**
     * Headers this API reads as ASCII: the contract's declared header parameters and the standard ones the
     * server interprets itself. {@code MalformedRequestFilterTest} checks that every header parameter of
     * the contract is here.
     */
    public static final Set<String> ASCII_HEADERS = Set.of(
            "idempotency-key", "if-match", "if-none-match", "authorization", "content-type", "accept",
            "origin", "x-forwarded-for", "x-request-id", "last-event-id");

    private final JsonMapper json;

    public MalformedRequestFilter(JsonMapper json) {
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String badHeader = badHeader(request);
        if (badHeader != null) {
            reject(request, response, "Header " + badHeader + " contains characters that are not allowed in it"
                    + " (control characters, or non-ASCII in a header whose value must be ASCII).",
                    new FieldError(badHeader, "INVALID_CHARACTERS", "contains characters that are not allowed"));
            return;
        }
        try {
            // Parses the query string, and a form body, once; Tomcat keeps the result for every later reader.
            request.getParameterMap();
        } catch (InvalidParameterException malformed) {
            if (malformed.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value()) {
                response.setHeader("Connection", "close");
                Problems.write(json, request, response, HttpStatus.CONTENT_TOO_LARGE, ErrorCode.PAYLOAD_TOO_LARGE.name(),
                        "The form body is too large.");
                return;
            }
            reject(request, response, "The query string or the form body is not valid percent-encoding: every '%'"
                    + " must be followed by two hexadecimal digits, and the decoded bytes must be UTF-8.", null);
            return;
        }
        chain.doFilter(request, response);
    }

    /** The name (as sent) of the first header whose value has a byte its grammar does not allow, or null. */
    static @Nullable String badHeader(HttpServletRequest request) {
        Enumeration<String> names = request.getHeaderNames();
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            boolean ascii = ASCII_HEADERS.contains(name.toLowerCase(Locale.ROOT));
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                if (!allowed(values.nextElement(), ascii)) {
                    return name;
                }
            }
        }
        return null;
    }

    /** Tomcat decodes header bytes as ISO-8859-1, so each char is one byte as sent. */
    public static boolean allowed(String value, boolean asciiOnly) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\t') {
                continue;
            }
            if (c < 0x20 || c == 0x7f || (asciiOnly && c > 0x7e)) {
                return false;
            }
        }
        return true;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, String detail, @Nullable FieldError error)
            throws IOException {
        Problems.write(json, request, response, HttpStatus.BAD_REQUEST, ErrorCode.MALFORMED_REQUEST.name(), detail,
                error == null ? List.of() : List.of(error));
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }
}
