package dev.todoapi.meta;

import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Serves the contract as shipped, but with the relative server {@code /} (see {@link ServedContract}), and Swagger UI
 * and Redoc pages that render that file and so call the origin they were loaded from.
 */
@Controller
class DocsController {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final byte[] served;

    DocsController(ContractInfo contract) {
        this.served = ServedContract.withRelativeServer(contract.document());
    }

    @GetMapping("/openapi.yaml")
    ResponseEntity<byte[]> openapi() {
        return ResponseEntity.ok()
                .contentType(YAML)
                .cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES))
                .body(served.clone());
    }

    @GetMapping("/docs")
    String swaggerUi() {
        return "forward:/docs/index.html";
    }

    @GetMapping("/redoc")
    String redoc() {
        return "forward:/redoc/index.html";
    }
}
