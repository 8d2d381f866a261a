package dev.todoapi.testsupport;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Every operation of openapi.yaml is exercised by at least one integration test whose exchange the contract validator
 * checked ({@code call(...)} or {@code callBad(...)} of {@link ApiTestBase}). Runs after every other test class
 * (src/test/resources/junit-platform.properties orders classes by {@code @Order}; the others keep the default order),
 * and only when the whole suite ran: with a test selection ({@code -Dtest=...}) or too few exchanges it is skipped.
 */
@Order(Integer.MAX_VALUE)
class ContractCoverageTest {

    /** Fewer validated exchanges than this means only a few test classes ran. */
    static final int MIN_EXCHANGES = 10;

    @Test
    void everyOperationIsExercisedByAValidatedIntegrationTest() {
        String selection = System.getProperty("test");
        assumeTrue(selection == null || selection.isBlank(),
                () -> "Only some tests ran (-Dtest=" + selection + "); contract coverage is checked on the whole suite.");
        int exchanges = ContractCoverage.exchanges();
        assumeTrue(exchanges >= MIN_EXCHANGES,
                () -> "Only " + exchanges + " validated exchanges in this JVM; contract coverage is checked on the whole suite.");

        Map<String, String> operations = ContractCoverage.operations();
        Set<String> covered = ContractCoverage.covered();
        Map<String, String> uncovered = operations.entrySet().stream()
                .filter(operation -> !covered.contains(operation.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
        if (!uncovered.isEmpty()) {
            fail("%d of %d operations of openapi.yaml are not exercised by any validated integration test (%d exchanges checked)."
                            + " Add a test that extends ApiTestBase and calls each through call(...) or callBad(...):%n%s",
                    uncovered.size(), operations.size(), exchanges,
                    uncovered.entrySet().stream().map(e -> "  " + e.getKey() + "  (" + e.getValue() + ")")
                            .collect(Collectors.joining(System.lineSeparator())));
        }
    }
}
