package dev.todoapi.meta;

import java.util.concurrent.TimeUnit;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Serves the contract as shipped, and Swagger UI and Redoc pages that render that same file. */
@Controller
class DocsController {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    private final ContractInfo contract;

    DocsController(ContractInfo contract) {
        this.contract = contract;
    }

    @GetMapping("/openapi.yaml")
    ResponseEntity<byte[]> openapi() {
        return ResponseEntity.ok()
                .contentType(YAML)
                .cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES))
                .body(contract.document());
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
