package dev.todoapi.task;

import dev.todoapi.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Opaque page cursors: base64url of {"s": sort, "k": sort key of the last task, "id": its id}. A cursor
 * only moves within the caller's own tasks (every query is scoped by user), so it needs no signature;
 * one that doesn't decode, or belongs to another sort, is a 422 on the {@code cursor} parameter.
 */
final class TaskCursor {

    /** Where the previous page ended. */
    record Position(@Nullable String key, UUID id) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TaskCursor() {}

    static String encode(TaskSort sort, @Nullable String key, UUID id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("s", sort.parameter());
        node.put("k", key);
        node.put("id", id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(node));
    }

    static Position decode(String cursor, TaskSort sort) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)));
            if (!sort.parameter().equals(node.path("s").asString(null))) {
                throw invalid("belongs to another sort order; start again without a cursor");
            }
            JsonNode key = node.path("k");
            String keyText = key.isNull() || key.isMissingNode() ? null : key.asString();
            if (!sort.acceptsKey(keyText)) {
                throw invalid("is not a cursor this API issued");
            }
            return new Position(keyText, UUID.fromString(node.path("id").asString()));
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("is not a cursor this API issued");
        }
    }

    /** The order name in a display-order cursor (GET /api/v1/lists/{id}/tasks). */
    private static final String DISPLAY = "display";

    /** A cursor of a list's display order: the sort path and id of the last task shown. */
    static String encodeDisplay(String sortPath, UUID id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("s", DISPLAY);
        node.put("k", sortPath);
        node.put("id", id.toString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(node));
    }

    /** The sort path a display-order cursor ends at; 422 on {@code cursor} for anything else. */
    static String decodeDisplay(String cursor) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)));
            if (!DISPLAY.equals(node.path("s").asString(null))) {
                throw invalid("belongs to another order; start again without a cursor");
            }
            String path = node.path("k").asString(null);
            if (!TaskTree.isValidPath(path)) {
                throw invalid("is not a cursor this API issued");
            }
            return path;
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid("is not a cursor this API issued");
        }
    }

    private static ApiException invalid(String message) {
        return ApiException.validation("cursor", "INVALID_CURSOR", message);
    }
}
