package dev.todoapi.meta;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/** The contract as shipped in the api jar, with the title and version it declares. */
@Component
public class ContractInfo {

    public static final String RESOURCE = "openapi.yaml";
    private static final Pattern INFO_FIELD = Pattern.compile("(?m)^  (title|version):\\s*(.+?)\\s*$");

    private final byte[] document;
    private final String title;
    private final String version;

    public ContractInfo() {
        try (InputStream in = new ClassPathResource(RESOURCE).getInputStream()) {
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml is missing from the classpath", e);
        }
        String text = new String(document, StandardCharsets.UTF_8);
        String foundTitle = "Todo API";
        String foundVersion = "unknown";
        Matcher m = INFO_FIELD.matcher(text.substring(text.indexOf("info:")));
        while (m.find()) {
            if (m.group(1).equals("title") && foundTitle.equals("Todo API")) {
                foundTitle = m.group(2);
            } else if (m.group(1).equals("version") && foundVersion.equals("unknown")) {
                foundVersion = m.group(2);
            }
        }
        this.title = foundTitle;
        this.version = foundVersion;
    }

    public byte[] document() {
        return document.clone();
    }

    public String title() {
        return title;
    }

    public String version() {
        return version;
    }
}
