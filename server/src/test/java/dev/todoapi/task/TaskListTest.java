package dev.todoapi.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.todoapi.testsupport.TaskApiTestBase;
import dev.todoapi.testsupport.TestUser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class TaskListTest extends TaskApiTestBase {

    private TestUser ada;

    @BeforeEach
    void signUp() throws Exception {
        ada = register("ada@example.com");
    }

    private static List<String> titles(JsonNode page) {
        List<String> titles = new ArrayList<>();
        page.get("items").forEach(task -> titles.add(task.get("title").asString()));
        return titles;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void newestFirstByDefault() throws Exception {
        createTitled(ada, "first");
        createTitled(ada, "second");
        createTitled(ada, "third");

        JsonNode page = list(ada, "");

        assertThat(titles(page)).containsExactly("third", "second", "first");
        assertThat(page.has("next_cursor")).isFalse();
    }

    @Test
    void filters() throws Exception {
        createTask(ada, "{\"title\": \"Pay the electricity bill\", \"priority\": \"high\", \"due_date\": \"2026-12-01T00:00:00Z\", \"tags\": [\"Home\"]}");
        createTask(ada, "{\"title\": \"Write report\", \"description\": \"BILLING numbers\", \"priority\": \"low\", \"due_date\": \"2026-12-10T00:00:00Z\", \"tags\": [\"work\"]}");
        String doneId = createTask(ada, "{\"title\": \"Call mum\", \"priority\": \"high\", \"tags\": [\"home\"]}").get("id").asString();
        toggle(ada, doneId);
        createTask(ada, "{\"title\": \"100% done_ish\"}");

        assertThat(titles(list(ada, "status=completed"))).containsExactly("Call mum");
        assertThat(titles(list(ada, "status=pending"))).containsExactly("100% done_ish", "Write report", "Pay the electricity bill");
        assertThat(titles(list(ada, "priority=high"))).containsExactly("Call mum", "Pay the electricity bill");
        assertThat(titles(list(ada, "tag=HOME"))).containsExactly("Call mum", "Pay the electricity bill");
        assertThat(titles(list(ada, "q=bill"))).containsExactly("Write report", "Pay the electricity bill");
        assertThat(titles(list(ada, "q=" + enc("%")))).containsExactly("100% done_ish");
        assertThat(titles(list(ada, "q=_"))).containsExactly("100% done_ish");
        assertThat(titles(list(ada, "due_before=" + enc("2026-12-05T00:00:00Z")))).containsExactly("Pay the electricity bill");
        assertThat(titles(list(ada, "due_after=" + enc("2026-12-05T00:00:00+00:00")))).containsExactly("Write report");
        assertThat(titles(list(ada, "status=pending&priority=high&tag=home"))).containsExactly("Pay the electricity bill");
        assertThat(titles(list(ada, "tag=nothing"))).isEmpty();
    }

    @Test
    void updatedSinceReturnsWhatChanged() throws Exception {
        String id = createTitled(ada, "old").get("id").asString();
        createTitled(ada, "untouched");
        JsonNode before = body(getTask(ada, id));
        Thread.sleep(5);
        String mark = java.time.OffsetDateTime.now().toString();
        Thread.sleep(5);
        patchTask(ada, id, "{\"title\": \"changed\"}");

        assertThat(titles(list(ada, "updated_since=" + enc(mark)))).containsExactly("changed");
        assertThat(before.get("updated_at").asString()).isLessThan(body(getTask(ada, id)).get("updated_at").asString());
    }

    @Test
    void sorts() throws Exception {
        createTask(ada, "{\"title\": \"b\", \"priority\": \"low\", \"due_date\": \"2026-12-03T00:00:00Z\"}");
        createTask(ada, "{\"title\": \"c\", \"priority\": \"high\"}");
        createTask(ada, "{\"title\": \"a\", \"priority\": \"medium\", \"due_date\": \"2026-12-01T00:00:00Z\"}");

        assertThat(titles(list(ada, "sort=created_at"))).containsExactly("b", "c", "a");
        assertThat(titles(list(ada, "sort=-created_at"))).containsExactly("a", "c", "b");
        assertThat(titles(list(ada, "sort=title"))).containsExactly("a", "b", "c");
        assertThat(titles(list(ada, "sort=due_date"))).containsExactly("a", "b", "c");
        assertThat(titles(list(ada, "sort=-due_date"))).containsExactly("b", "a", "c");
        assertThat(titles(list(ada, "sort=priority"))).containsExactly("b", "a", "c");
        assertThat(titles(list(ada, "sort=-priority"))).containsExactly("c", "a", "b");
    }

    @Test
    void badParametersAreValidationErrors() throws Exception {
        for (String query : List.of("limit=0", "limit=1001", "limit=ten", "status=done", "sort=-title", "priority=urgent",
                "due_before=yesterday", "cursor=not-a-cursor", "q=" + "x".repeat(201))) {
            MvcResult result = callBad(get(java.net.URI.create("/api/v1/tasks?" + query)).header("Authorization", ada.bearer()));
            assertThat(result.getResponse().getStatus()).as(query).isEqualTo(422);
            assertThat(code(result)).as(query).isEqualTo("VALIDATION_FAILED");
            assertThat(body(result).get("errors").get(0).get("field").asString()).as(query).isEqualTo(query.substring(0, query.indexOf('=')));
        }
    }

    @Test
    void aCursorOnlyWorksWithItsOwnSort() throws Exception {
        for (int i = 0; i < 3; i++) {
            createTitled(ada, "t" + i);
        }
        String cursor = list(ada, "limit=1").get("next_cursor").asString();

        MvcResult result = callBad(get("/api/v1/tasks?sort=title&cursor=" + cursor).header("Authorization", ada.bearer()));

        assertThat(result.getResponse().getStatus()).isEqualTo(422);
        assertThat(body(result).get("errors").get(0).get("code").asString()).isEqualTo("INVALID_CURSOR");
    }

    /**
     * Walks every page while other tasks are being inserted and deleted: every task that existed at the
     * start and was not deleted is seen exactly once, whatever the order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"-created_at", "created_at", "due_date", "-due_date", "priority", "-priority", "title"})
    void pagesStayCorrectWhileTasksComeAndGo(String sort) throws Exception {
        String[] priorities = {"low", "medium", "high"};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String due = i % 4 == 0 ? "" : ", \"due_date\": \"2026-12-" + String.format("%02d", 1 + i % 5) + "T00:00:00Z\"";
            ids.add(createTask(ada, "{\"title\": \"task " + (char) ('a' + i % 7) + i + "\", \"priority\": \""
                    + priorities[i % 3] + "\"" + due + "}").get("id").asString());
        }
        Set<String> deleted = new HashSet<>();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = list(ada, "limit=5&sort=" + enc(sort) + (cursor == null ? "" : "&cursor=" + cursor));
            page.get("items").forEach(task -> seen.add(task.get("id").asString()));
            cursor = page.has("next_cursor") ? page.get("next_cursor").asString() : null;
            pages++;
            // Meanwhile: a new task arrives, and one not seen yet is deleted.
            createTitled(ada, "inserted during walk " + pages);
            for (String id : ids) {
                if (!seen.contains(id) && !deleted.contains(id)) {
                    call(delete("/api/v1/tasks/" + id).header("Authorization", ada.bearer()));
                    deleted.add(id);
                    break;
                }
            }
        } while (cursor != null && pages < 50);

        Set<String> expected = new HashSet<>(ids);
        expected.removeAll(deleted);
        List<String> original = seen.stream().filter(ids::contains).toList();
        assertThat(new HashSet<>(original)).isEqualTo(expected);
        assertThat(original).doesNotHaveDuplicates();
        assertThat(seen).doesNotHaveDuplicates();
    }
}
