package dev.todoapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

class MalformedRequestFilterTest {

    @Test
    void everyHeaderTheContractDeclaresIsCheckedAsAscii() throws Exception {
        String yaml;
        try (InputStream in = new ClassPathResource("openapi.yaml").getInputStream()) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        OpenAPI contract = new OpenAPIV3Parser().readContents(yaml, null, options).getOpenAPI();
        Set<String> declared = new TreeSet<>();
        for (PathItem item : contract.getPaths().values()) {
            List<Parameter> parameters = new ArrayList<>();
            if (item.getParameters() != null) {
                parameters.addAll(item.getParameters());
            }
            for (Operation operation : item.readOperations()) {
                if (operation.getParameters() != null) {
                    parameters.addAll(operation.getParameters());
                }
            }
            for (Parameter parameter : parameters) {
                Parameter resolved = parameter.get$ref() == null ? parameter
                        : contract.getComponents().getParameters().get(parameter.get$ref().substring(parameter.get$ref().lastIndexOf('/') + 1));
                if ("header".equals(resolved.getIn())) {
                    declared.add(resolved.getName().toLowerCase(Locale.ROOT));
                }
            }
        }
        assertThat(declared).as("header parameters of the contract").isNotEmpty();
        assertThat(MalformedRequestFilter.ASCII_HEADERS).containsAll(declared);
    }

    @Test
    void controlCharactersAreRefusedEverywhereNonAsciiOnlyInAsciiHeaders() {
        assertThat(MalformedRequestFilter.allowed("7f1c-\t-ok", true)).isTrue();
        assertThat(MalformedRequestFilter.allowed("7f1c\u00e2\u0080\u00a6", true)).as("UTF-8 '…' read as Latin-1").isFalse();
        assertThat(MalformedRequestFilter.allowed("caf\u00e9", false)).as("obs-text in an opaque header").isTrue();
        assertThat(MalformedRequestFilter.allowed("a\u007fb", false)).isFalse();
        assertThat(MalformedRequestFilter.allowed("a\u0000b", false)).isFalse();
        assertThat(MalformedRequestFilter.allowed("a\u001b[31m", false)).isFalse();
    }
}
