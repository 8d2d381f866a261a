package dev.todoapi.meta;

import dev.todoapi.api.MetaApi;
import dev.todoapi.api.model.ApiInfo;
import dev.todoapi.api.model.Health;
import dev.todoapi.api.model.Probe;
import dev.todoapi.web.ApiException;
import dev.todoapi.web.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MetaController implements MetaApi {

    private final DatabaseHealth databaseHealth;
    private final ContractInfo contract;

    private final String serverVersion;

    MetaController(DatabaseHealth databaseHealth, ContractInfo contract,
            org.springframework.beans.factory.ObjectProvider<org.springframework.boot.info.BuildProperties> build) {
        this.databaseHealth = databaseHealth;
        this.contract = contract;
        // META-INF/build-info.properties, written by the build (spring-boot-maven-plugin's build-info goal).
        org.springframework.boot.info.BuildProperties properties = build.getIfAvailable();
        this.serverVersion = properties == null || properties.getVersion() == null ? "unknown" : properties.getVersion();
    }

    @Override
    public ResponseEntity<ApiInfo> getApiInfo() {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/");
        links.put("docs", "/docs");
        links.put("redoc", "/redoc");
        links.put("openapi", "/openapi.yaml");
        links.put("health", "/health");
        return ResponseEntity.ok(new ApiInfo(contract.title(), contract.version(), contract.version(), serverVersion, links));
    }

    @Override
    public ResponseEntity<Probe> getLiveness() {
        return ResponseEntity.ok(new Probe(Probe.StatusEnum.UP));
    }

    @Override
    public ResponseEntity<Probe> getReadiness() {
        requireDatabase();
        return ResponseEntity.ok(new Probe(Probe.StatusEnum.UP));
    }

    @Override
    public ResponseEntity<Health> getHealth() {
        requireDatabase();
        return ResponseEntity.ok(new Health(Health.StatusEnum.HEALTHY, Health.DatabaseEnum.UP));
    }

    private void requireDatabase() {
        if (!databaseHealth.isUp()) {
            throw new ApiException(ErrorCode.DATABASE_UNAVAILABLE, "The database did not answer in time.")
                    .withHeader("Retry-After", "5");
        }
    }
}
