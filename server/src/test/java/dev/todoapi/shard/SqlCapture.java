package dev.todoapi.shard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.ExecuteListenerProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Every SQL statement the application sends through jOOQ while the tests run, with the application method that
 * sent it (statements the tests send themselves, to set up or check data, are left out). A test-only
 * auto-configuration (src/test/resources/META-INF/spring/...AutoConfiguration.imports), so every Spring context
 * of the test suite records into the same map; {@link SingleShardStatementsTest} checks them at the end.
 */
@AutoConfiguration
public class SqlCapture {

    /** SQL text -> the application method that first sent it. */
    static final Map<String, String> STATEMENTS = new ConcurrentHashMap<>();

    @Bean
    ExecuteListenerProvider sqlCaptureListener() {
        return () -> new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext context) {
                String sql = context.sql();
                if (sql == null || STATEMENTS.containsKey(sql)) {
                    return;
                }
                String origin = origin();
                if (origin != null) {
                    STATEMENTS.putIfAbsent(sql, origin);
                }
            }
        };
    }

    /** The first application (not test) method on the stack, past the SQL cache; null when a test sent it. */
    static String origin() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(frame -> frame.getClassName().startsWith("dev.todoapi.")
                        && !frame.getClassName().startsWith("dev.todoapi.shard.")
                        && !frame.getClassName().startsWith("dev.todoapi.database.RenderedSql"))
                .findFirst()
                .filter(frame -> !fromTestClasses(frame.getDeclaringClass()))
                .map(frame -> frame.getClassName() + "." + frame.getMethodName())
                .orElse(null));
    }

    private static boolean fromTestClasses(Class<?> type) {
        var source = type.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation().getPath().contains("test-classes");
    }
}
