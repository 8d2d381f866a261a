package dev.todoapi.meta;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * The contract as this server serves it at /openapi.yaml: the shipped file with its {@code servers} replaced by the
 * one relative server {@code /}, "the origin that serves this document" (OpenAPI 3.0, Server Object). Swagger UI's
 * "Try it out" and Redoc then call whichever host, port and scheme the browser loaded the docs from, also behind a
 * reverse proxy, with no X-Forwarded-* to trust. The file in api/ keeps {@code http://localhost:8080}: it is the
 * generated SDKs' default base path.
 *
 * <p>Only that entry changes: the rest of the text (comments, key order, block scalars) is served byte for byte, so
 * what the docs render is what the contract says.
 */
final class ServedContract {

    static final String SERVERS = """
            servers:
              - url: /
                description: This server (the origin that serves this document)
            """;

    private ServedContract() {
    }

    /** The document with its top-level {@code servers} (added at the end when it has none) set to {@link #SERVERS}. */
    static byte[] withRelativeServer(byte[] document) {
        String text = new String(document, StandardCharsets.UTF_8);
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        if (!(root instanceof MappingNode mapping)) {
            throw new IllegalStateException("openapi.yaml is not a YAML mapping");
        }
        for (NodeTuple entry : mapping.getValue()) {
            if (entry.getKeyNode() instanceof ScalarNode key && key.getValue().equals("servers")) {
                // Marks count code points; the block value's end is the start of the next top-level line.
                int start = text.offsetByCodePoints(0, key.getStartMark().getIndex());
                int end = text.offsetByCodePoints(0, entry.getValueNode().getEndMark().getIndex());
                String replacement = text.charAt(end - 1) == '\n' ? SERVERS : SERVERS.stripTrailing();
                return (text.substring(0, start) + replacement + text.substring(end)).getBytes(StandardCharsets.UTF_8);
            }
        }
        String separator = text.isEmpty() || text.endsWith("\n") ? "" : "\n";
        return (text + separator + SERVERS).getBytes(StandardCharsets.UTF_8);
    }
}
