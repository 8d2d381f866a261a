package dev.todoapi.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which top-level fields a JSON Merge Patch body (RFC 7396) contains. The generated models can't tell an
 * absent field from an explicit null, and for a merge patch that is the whole difference ("null clears",
 * "absent keeps"), so the body's field names are noted while it is read.
 */
public final class MergePatch {

    private static final String ATTRIBUTE = MergePatch.class.getName();

    private final Set<String> fields;

    private MergePatch(Set<String> fields) {
        this.fields = fields;
    }

    public boolean has(String jsonField) {
        return fields.contains(jsonField);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * Makes {@code fields} the patch of the current request (a command of a batch that carries a patch as its
     * arguments: the operation then reads it as if it were the request's body).
     */
    public static void bind(Set<String> fields) {
        RequestContextHolder.currentRequestAttributes().setAttribute(ATTRIBUTE, new MergePatch(Set.copyOf(fields)),
                RequestAttributes.SCOPE_REQUEST);
    }

    /** The fields of the current request's patch body. */
    public static MergePatch current() {
        RequestAttributes attributes = RequestContextHolder.currentRequestAttributes();
        Object fields = attributes.getAttribute(ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
        if (fields == null) {
            throw new IllegalStateException("No merge patch body was read in this request");
        }
        return (MergePatch) fields;
    }

    /** Notes the field names of bodies bound to a model whose name ends in "Patch". */
    @ControllerAdvice
    static class FieldRecorder extends RequestBodyAdviceAdapter {

        private final JsonMapper json;

        FieldRecorder(JsonMapper json) {
            this.json = json;
        }

        @Override
        public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
            return targetType instanceof Class<?> type && type.getSimpleName().endsWith("Patch");
        }

        @Override
        public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
            byte[] body = input.getBody().readAllBytes();
            Set<String> fields = new TreeSet<>();
            try {
                JsonNode tree = json.readTree(body);
                if (tree != null && tree.isObject()) {
                    fields.addAll(tree.propertyNames());
                }
            } catch (RuntimeException malformed) {
                // the converter reports it properly when it reads the same bytes
            }
            RequestContextHolder.currentRequestAttributes()
                    .setAttribute(ATTRIBUTE, new MergePatch(fields), RequestAttributes.SCOPE_REQUEST);
            return new HttpInputMessage() {
                @Override
                public InputStream getBody() {
                    return new ByteArrayInputStream(body);
                }

                @Override
                public HttpHeaders getHeaders() {
                    return input.getHeaders();
                }
            };
        }
    }
}
