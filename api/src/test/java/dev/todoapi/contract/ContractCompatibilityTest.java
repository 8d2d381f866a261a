package dev.todoapi.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;

/**
 * openapi.yaml keeps every promise of the last released contract (the highest version in baseline/), unless its
 * major version (info.version) moved on. Releasing copies openapi.yaml to baseline/openapi-VERSION.yaml (README).
 * {@code -Dtodo.contract.file=PATH} checks another file instead of openapi.yaml (to try a change out).
 */
class ContractCompatibilityTest {

    static final Path CONTRACT = Path.of(System.getProperty("todo.contract.file", "openapi.yaml"));
    static final Path BASELINES = Path.of("baseline");
    private static final Pattern BASELINE_NAME = Pattern.compile("openapi-(\\d+)\\.(\\d+)\\.(\\d+)\\.yaml");

    @Test
    void theContractIsCompatibleWithTheLastReleaseOrBumpsTheMajorVersion() {
        Path baseline = lastRelease();
        List<String> problems = check(baseline, CONTRACT);
        if (!problems.isEmpty()) {
            fail("%s breaks the released contract %s:%n  %s", CONTRACT, baseline, String.join(System.lineSeparator() + "  ", problems));
        }
    }

    /** The check finds and names a removed required response field and a renamed path (on a scratch copy). */
    @Test
    void aRemovedRequiredResponseFieldAndARenamedPathAreNamed(@TempDir Path scratch) throws IOException {
        OpenAPI api = new OpenAPIV3Parser().read(CONTRACT.toString());
        Schema<?> task = api.getComponents().getSchemas().get("Task");
        assertThat(task.getRequired()).as("the Task schema this test edits").contains("title");
        task.getRequired().remove("title");
        Map<String, PathItem> paths = new LinkedHashMap<>();
        api.getPaths().forEach((path, item) -> paths.put(path.replace("/api/v1/tags", "/api/v1/labels"), item));
        api.getPaths().clear();
        api.getPaths().putAll(paths);
        Path changed = scratch.resolve("openapi.yaml");
        Files.writeString(changed, Yaml.pretty(api));

        List<String> problems = check(CONTRACT, changed);

        assertThat(problems).contains(
                "- GET /api/v1/tags (listTags): operation removed",
                "- DELETE /api/v1/tags/{tag_id} (deleteTag): operation removed",
                "- GET /api/v1/tasks/{task_id} (getTask) response 200 (application/json) field 'title': no longer required (may be absent)",
                "- GET /api/v1/tasks (listTasks) response 200 (application/json) field 'items[].title': no longer required (may be absent)");
    }

    @Test
    void aMajorVersionBumpAllowsBreakingChanges(@TempDir Path scratch) throws IOException {
        OpenAPI api = new OpenAPIV3Parser().read(CONTRACT.toString());
        api.getPaths().remove("/api/v1/tags/{tag_id}");
        api.getInfo().setVersion((major(api.getInfo().getVersion()) + 1) + ".0.0");
        Path changed = scratch.resolve("openapi.yaml");
        Files.writeString(changed, Yaml.pretty(api));

        assertThat(check(CONTRACT, changed)).isEmpty();
    }

    /** Why {@code contract} may not follow {@code released}; empty when it may. */
    static List<String> check(Path released, Path contract) {
        ChangedOpenApi diff = OpenApiCompare.fromFiles(released.toFile(), contract.toFile());
        String releasedVersion = diff.getOldSpecOpenApi().getInfo().getVersion();
        String version = diff.getNewSpecOpenApi().getInfo().getVersion();
        if (compareVersions(version, releasedVersion) < 0) {
            return List.of("info.version " + version + " is lower than the released " + releasedVersion);
        }
        if (!diff.isIncompatible() || major(version) > major(releasedVersion)) {
            return List.of();
        }
        return Stream.concat(
                        Stream.of("Incompatible with " + releasedVersion + " while info.version is " + version
                                + "; make the change compatible, or release it as " + (major(releasedVersion) + 1) + ".0.0:"),
                        ContractBreaks.of(diff).stream().map(line -> "- " + line))
                .toList();
    }

    static Path lastRelease() {
        try (Stream<Path> files = Files.list(BASELINES)) {
            return files.filter(file -> BASELINE_NAME.matcher(file.getFileName().toString()).matches())
                    .max(Comparator.comparing(file -> versionOf(file), ContractCompatibilityTest::compareVersions))
                    .orElseThrow(() -> new AssertionError("No released contract (openapi-X.Y.Z.yaml) in " + BASELINES.toAbsolutePath()));
        } catch (IOException e) {
            throw new AssertionError("Cannot list " + BASELINES.toAbsolutePath(), e);
        }
    }

    private static String versionOf(Path baseline) {
        Matcher matcher = BASELINE_NAME.matcher(baseline.getFileName().toString());
        return matcher.matches() ? matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3) : "0.0.0";
    }

    static int major(String version) {
        return parts(version)[0];
    }

    static int compareVersions(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    private static int[] parts(String version) {
        Matcher matcher = Pattern.compile("^(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?").matcher(version.strip());
        if (!matcher.find()) {
            throw new AssertionError("info.version '" + version + "' is not MAJOR.MINOR.PATCH");
        }
        int[] parts = new int[3];
        for (int i = 0; i < 3; i++) {
            parts[i] = matcher.group(i + 1) == null ? 0 : Integer.parseInt(matcher.group(i + 1));
        }
        return parts;
    }
}
