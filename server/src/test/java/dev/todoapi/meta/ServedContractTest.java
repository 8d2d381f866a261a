package dev.todoapi.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServedContractTest {

    private static String served(String document) {
        return new String(ServedContract.withRelativeServer(document.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void replacesABlockListAndKeepsEverythingElse() {
        String document = """
                openapi: 3.0.3
                info:
                  title: T  # née "Tâches"
                  version: 1.0.0
                servers:
                  - url: http://localhost:8080
                    description: Local development server
                  - url: https://api.example.com
                paths: {}
                """;

        assertThat(served(document)).isEqualTo("""
                openapi: 3.0.3
                info:
                  title: T  # née "Tâches"
                  version: 1.0.0
                servers:
                  - url: /
                    description: This server (the origin that serves this document)
                paths: {}
                """);
    }

    @Test
    void replacesAFlowListAndAnIndentlessList() {
        assertThat(served("openapi: 3.0.3\nservers: [{url: 'http://a'}]  # x\npaths: {}\n"))
                .isEqualTo("openapi: 3.0.3\n" + ServedContract.SERVERS.stripTrailing() + "  # x\npaths: {}\n");
        assertThat(served("openapi: 3.0.3\nservers:\n- url: http://a\npaths: {}\n"))
                .isEqualTo("openapi: 3.0.3\n" + ServedContract.SERVERS + "paths: {}\n");
    }

    @Test
    void addsTheServerWhenThereIsNone() {
        assertThat(served("openapi: 3.0.3\npaths: {}")).isEqualTo("openapi: 3.0.3\npaths: {}\n" + ServedContract.SERVERS);
    }

    @Test
    void leavesNestedServersAlone() {
        String document = "openapi: 3.0.3\npaths:\n  /x:\n    servers:\n      - url: http://b\n";

        assertThat(served(document)).isEqualTo(document + ServedContract.SERVERS);
    }
}
