package dev.todoapi.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Comparator;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring's request mappings with one tie-break more. Two templates can be equally specific for Spring (as many
 * variables, as long) and both match one path: {@code /api/tasks/{task_id}} and {@code /api/{user_id}/tasks}
 * both match {@code /api/tasks/tasks}, which Spring answers with an "ambiguous handler methods" error, a 500.
 * Here the one whose first segment that differs is a literal wins ({@code /api/tasks/{task_id}}), as in the
 * contract, which declares the literal routes first. Everything Spring already orders keeps its order.
 */
public class LiteralFirstHandlerMapping extends RequestMappingHandlerMapping {

    @Override
    protected Comparator<RequestMappingInfo> getMappingComparator(HttpServletRequest request) {
        Comparator<RequestMappingInfo> spring = super.getMappingComparator(request);
        return (a, b) -> {
            int order = spring.compare(a, b);
            return order != 0 ? order : literalFirst(a, b);
        };
    }

    static int literalFirst(RequestMappingInfo a, RequestMappingInfo b) {
        PathPatternsRequestCondition first = a.getPathPatternsCondition();
        PathPatternsRequestCondition second = b.getPathPatternsCondition();
        return first == null || second == null ? 0 : literalFirst(first.getFirstPattern(), second.getFirstPattern());
    }

    /** Negative when {@code a} has a literal segment where {@code b} first has a template one, positive for the reverse. */
    static int literalFirst(PathPattern a, PathPattern b) {
        String[] first = a.getPatternString().split("/");
        String[] second = b.getPatternString().split("/");
        for (int i = 0; i < Math.min(first.length, second.length); i++) {
            boolean firstTemplated = templated(first[i]);
            if (firstTemplated != templated(second[i])) {
                return firstTemplated ? 1 : -1;
            }
        }
        return 0;
    }

    private static boolean templated(String segment) {
        return segment.indexOf('{') >= 0 || segment.indexOf('*') >= 0;
    }
}
