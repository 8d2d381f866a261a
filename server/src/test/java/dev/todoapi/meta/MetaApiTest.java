package dev.todoapi.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.todoapi.testsupport.ApiTestBase;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class MetaApiTest extends ApiTestBase {

    @Test
    void healthReportsTheDatabaseUp() throws Exception {
        MvcResult result = call(get("/health"));

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode body = body(result);
        assertThat(body.get("status").asString()).isEqualTo("healthy");
        assertThat(body.get("database").asString()).isEqualTo("up");
    }

    @Test
    void probes() throws Exception {
        MvcResult live = call(get("/health/live"));
        MvcResult ready = call(get("/health/ready"));

        assertThat(live.getResponse().getStatus()).isEqualTo(200);
        assertThat(body(live).get("status").asString()).isEqualTo("up");
        assertThat(ready.getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void apiInfoNamesTheContractVersionAndLinks() throws Exception {
        MvcResult result = call(get("/"));

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode body = body(result);
        assertThat(body.get("name").asString()).isEqualTo("Todo API");
        assertThat(body.get("version").asString()).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(body.get("contract_version").asString()).isEqualTo(body.get("version").asString());
        assertThat(body.get("server_version").asString()).as("the build's version, from build-info")
                .matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(body.get("links").get("openapi").asString()).isEqualTo("/openapi.yaml");
        assertThat(body.get("links").get("health").asString()).isEqualTo("/health");
    }

    @Test
    void protectedResourceMetadataClaimsOnlyWhatIsTrue() throws Exception {
        MvcResult result = mvc.perform(get("/.well-known/oauth-protected-resource")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode metadata = body(result);
        assertThat(metadata.has("tls_client_certificate_bound_access_tokens")).as("no certificate-bound tokens").isFalse();
        assertThat(metadata.get("bearer_methods_supported").toString()).isEqualTo("[\"header\"]");
        assertThat(metadata.get("resource").asString()).startsWith("http://localhost");
    }

    @Test
    void servesTheContractAsShippedWithThisOriginAsItsServer() throws Exception {
        MvcResult result = mvc.perform(get("/openapi.yaml")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentType()).startsWith("application/yaml");
        String served = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(served).startsWith("openapi: 3.").contains("operationId: getHealth");

        // Swagger UI's "Try it out" and Redoc call the origin that served the docs, on any host and port.
        OpenAPI parsed = new OpenAPIV3Parser().readContents(served).getOpenAPI();
        assertThat(parsed.getServers()).extracting(Server::getUrl).containsExactly("/");
        // Nothing else differs from the shipped contract (whose server stays the SDKs' default base path).
        OpenAPI shipped = new OpenAPIV3Parser().read(ContractInfo.RESOURCE);
        assertThat(shipped.getServers()).extracting(Server::getUrl).containsExactly("http://localhost:8080");
        shipped.setServers(parsed.getServers());
        assertThat(parsed).isEqualTo(shipped);
    }

    @Test
    void swaggerUiAndRedocRenderThatFile() throws Exception {
        MvcResult docs = mvc.perform(get("/docs")).andReturn();
        assertThat(docs.getResponse().getForwardedUrl()).isEqualTo("/docs/index.html");
        MvcResult docsPage = mvc.perform(get("/docs/index.html")).andReturn();
        assertThat(docsPage.getResponse().getContentAsString()).contains("swagger-ui-bundle.js");
        assertThat(mvc.perform(get("/docs/init.js")).andReturn().getResponse().getContentAsString())
                .contains("/openapi.yaml");
        assertThat(mvc.perform(get("/webjars/swagger-ui/swagger-ui-bundle.js")).andReturn().getResponse().getStatus())
                .isEqualTo(200);

        MvcResult redoc = mvc.perform(get("/redoc")).andReturn();
        assertThat(redoc.getResponse().getForwardedUrl()).isEqualTo("/redoc/index.html");
        assertThat(mvc.perform(get("/redoc/index.html")).andReturn().getResponse().getContentAsString())
                .contains("spec-url=\"/openapi.yaml\"");
        assertThat(mvc.perform(get("/webjars/redoc/redoc.standalone.js")).andReturn().getResponse().getStatus())
                .isEqualTo(200);
    }

    @Test
    void browsersGetAFaviconRatherThanA404() throws Exception {
        MvcResult icon = mvc.perform(get("/favicon.ico")).andReturn();
        assertThat(icon.getResponse().getStatus()).isEqualTo(200);
        byte[] bytes = icon.getResponse().getContentAsByteArray();
        assertThat(bytes).startsWith(0, 0, 1, 0); // an ICO header: reserved 0, type 1 (icon)
    }
}
