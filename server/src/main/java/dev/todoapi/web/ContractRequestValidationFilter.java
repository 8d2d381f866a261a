package dev.todoapi.web;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.todoapi.api.model.FieldError;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code todo.validate-requests=true} ({@code TODO_VALIDATE_REQUESTS}), checks every request against openapi.yaml
 * before security and the controllers see it, and answers {@code 400 CONTRACT_VIOLATION} with one {@code errors[]}
 * entry per mismatch. Left to the layers after it, which answer more precisely: routes and methods the contract does
 * not have (404, 405, the docs pages), credentials (401), and media types (415, 406).
 */
@Component
@ConditionalOnProperty(name = "todo.validate-requests", havingValue = "true")
@Order(Ordered.HIGHEST_PRECEDENCE + 10) // after the request id, body limit and rate limit; long before security (-100)
public class ContractRequestValidationFilter extends OncePerRequestFilter {

    private static final String KEY_PREFIX = "validation.request.";

    private final OpenApiInteractionValidator validator;
    private final JsonMapper jsonMapper;

    public ContractRequestValidationFilter(JsonMapper jsonMapper) throws IOException {
        this.jsonMapper = jsonMapper;
        LevelResolver.Builder levels = LevelResolver.create();
        for (String left : List.of("path.missing", "operation.notAllowed", "security", "contentType.notAllowed", "accept.notAllowed")) {
            levels.withLevel(KEY_PREFIX + left, ValidationReport.Level.IGNORE);
        }
        this.validator = OpenApiInteractionValidator
                .createForInlineApiSpecification(new ClassPathResource("openapi.yaml").getContentAsString(StandardCharsets.UTF_8))
                .withLevelResolver(levels.build())
                .build();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        byte[] body;
        try {
            body = request.getInputStream().readAllBytes();
        } catch (RequestBodyLimitFilter.BodyTooLargeException e) {
            reply(request, response, ErrorCode.PAYLOAD_TOO_LARGE.status(), ErrorCode.PAYLOAD_TOO_LARGE.name(), e.getMessage(), List.of());
            return;
        }
        BufferedRequest buffered = new BufferedRequest(request, body);
        SimpleRequest.Builder builder = new SimpleRequest.Builder(
                request.getMethod(), request.getRequestURI().substring(request.getContextPath().length()));
        for (String name : Collections.list(request.getHeaderNames())) {
            builder.withHeader(name, Collections.list(request.getHeaders(name)));
        }
        parse(request.getQueryString()).forEach(builder::withQueryParam);
        if (body.length > 0) {
            builder.withBody(body);
        }
        List<FieldError> errors = new ArrayList<>();
        for (ValidationReport.Message message : validator.validateRequest(builder.build()).getMessages()) {
            if (message.getLevel() == ValidationReport.Level.ERROR) {
                errors.add(new FieldError(field(message), code(message.getKey()), message.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            String detail = "The request does not match the API contract (openapi.yaml) in " + errors.size()
                    + (errors.size() == 1 ? " place." : " places.");
            reply(request, response, ErrorCode.CONTRACT_VIOLATION.status(), ErrorCode.CONTRACT_VIOLATION.name(), detail, errors);
            return;
        }
        chain.doFilter(buffered, response);
    }

    /** The parameter's name, or the body member's path ({@code tags[2]}, {@code a.b}); empty for the body as a whole. */
    private static String field(ValidationReport.Message message) {
        var context = message.getContext();
        if (context.flatMap(ValidationReport.MessageContext::getParameter).isPresent()) {
            return context.get().getParameter().get().getName();
        }
        String pointer = context.flatMap(ValidationReport.MessageContext::getPointers)
                .map(ValidationReport.MessageContext.Pointers::getInstance).orElse("");
        StringBuilder field = new StringBuilder();
        for (String token : pointer.split("/")) {
            if (token.isEmpty()) {
                continue;
            }
            token = token.replace("~1", "/").replace("~0", "~");
            field.append(token.chars().allMatch(Character::isDigit) ? "[" + token + "]" : (field.isEmpty() ? "" : ".") + token);
        }
        return field.toString();
    }

    /** {@code validation.request.body.schema.additionalProperties} becomes {@code BODY_ADDITIONAL_PROPERTIES}. */
    static String code(String key) {
        String rest = (key.startsWith(KEY_PREFIX) ? key.substring(KEY_PREFIX.length()) : key).replace(".schema.", ".");
        return JsonNames.snakeCase(rest).replaceAll("[^A-Za-z0-9]+", "_").toUpperCase(java.util.Locale.ROOT);
    }

    private void reply(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
            String detail, List<FieldError> errors) throws IOException {
        response.setStatus(status.value());
        response.setContentType(Problems.PROBLEM_JSON.toString());
        jsonMapper.writeValue(response.getOutputStream(), Problems.problem(status, code, detail, request.getRequestURI(), errors));
    }

    /** Decoded name/values of a query string or form body, in order. */
    private static Map<String, List<String>> parse(String encoded) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                values.computeIfAbsent(name, n -> new ArrayList<>()).add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    /** A malformed escape stays as sent; the schema check then judges the raw text. */
    private static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return encoded;
        }
    }

    /** The request with its body read once: the body again for the controller, and a form's fields as parameters. */
    private static final class BufferedRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private final Map<String, String[]> form;

        BufferedRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
            String type = request.getContentType();
            if (isForm(type)) {
                Map<String, List<String>> fields = parse(request.getQueryString());
                parse(new String(body, StandardCharsets.UTF_8))
                        .forEach((name, values) -> fields.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
                this.form = new LinkedHashMap<>();
                fields.forEach((name, values) -> form.put(name, values.toArray(String[]::new)));
            } else {
                this.form = null;
            }
        }

        private static boolean isForm(String type) {
            try {
                return type != null && MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(type));
            } catch (org.springframework.http.InvalidMediaTypeException e) {
                return false;
            }
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(), encoding == null ? "UTF-8" : encoding));
        }

        @Override
        public String getParameter(String name) {
            if (form == null) {
                return super.getParameter(name);
            }
            String[] values = form.get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return form == null ? super.getParameterMap() : Collections.unmodifiableMap(form);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return form == null ? super.getParameterNames() : Collections.enumeration(form.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return form == null ? super.getParameterValues(name) : form.get(name);
        }
    }
}
