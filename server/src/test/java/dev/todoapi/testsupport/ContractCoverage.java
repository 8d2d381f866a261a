package dev.todoapi.testsupport;

import com.atlassian.oai.validator.interaction.ApiOperationResolver;
import com.atlassian.oai.validator.model.ApiOperationMatch;
import com.atlassian.oai.validator.model.Request;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which operations of openapi.yaml the exchanges validated by {@link ContractValidator} hit in this JVM, matched the
 * way the validator matches them (literal path segments before templated ones). {@code ContractCoverageTest} reads it
 * after every other test class has run.
 */
public final class ContractCoverage {

    private static final OpenAPI API = new OpenAPIV3Parser().read("openapi.yaml");
    private static final ApiOperationResolver RESOLVER = new ApiOperationResolver(API, null, false);
    private static final Set<String> COVERED = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger EXCHANGES = new AtomicInteger();

    private ContractCoverage() {}

    /** Records a validated exchange. */
    static void record(Request request) {
        EXCHANGES.incrementAndGet();
        ApiOperationMatch match = RESOLVER.findApiOperation(request.getPath(), request.getMethod());
        if (match.isPathFound() && match.isOperationAllowed()) {
            COVERED.add(match.getApiOperation().getOperation().getOperationId());
        }
    }

    /** How many exchanges were validated (and recorded) in this JVM. */
    public static int exchanges() {
        return EXCHANGES.get();
    }

    /** The operationIds hit by at least one validated exchange. */
    public static Set<String> covered() {
        return Set.copyOf(COVERED);
    }

    /** Every operation of the contract: operationId to "METHOD /path/template", sorted by operationId. */
    public static Map<String, String> operations() {
        Map<String, String> operations = new TreeMap<>();
        API.getPaths().forEach((path, item) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
                String id = entry.getValue().getOperationId();
                operations.put(id == null ? entry.getKey() + " " + path : id, entry.getKey() + " " + path);
            }
        });
        return operations;
    }
}
