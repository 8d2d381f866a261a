package dev.todoapi.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.todoapi.testsupport.ServerTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The README's shell examples run as pasted: every {@code sh} block marked {@code <!-- readme-test -->} is run,
 * in order, in one bash (so the token and task id of one block are there for the next), against the server
 * on a random port ({@code localhost:8080} rewritten). Needs bash, curl, jq and openssl, as the README says.
 */
class ReadmeExamplesTest extends ServerTestBase {

    private static final String MARK = "<!-- readme-test -->";

    @Autowired
    DSLContext db;

    static List<String> markedBlocks(String readme) {
        List<String> blocks = new ArrayList<>();
        int at = 0;
        while ((at = readme.indexOf(MARK, at)) >= 0) {
            int open = readme.indexOf("```sh\n", at);
            int close = readme.indexOf("\n```", open + 6);
            assertThat(open).as("a ```sh block follows the mark at %d", at).isGreaterThan(at);
            assertThat(readme.substring(at + MARK.length(), open)).as("nothing between the mark and its block").isBlank();
            blocks.add(readme.substring(open + 6, close + 1));
            at = close;
        }
        return blocks;
    }

    @Test
    void theReadmeCurlExamplesRunAsPasted() throws Exception {
        db.truncate(dev.todoapi.db.jooq.Tables.USERS, dev.todoapi.db.jooq.Tables.USER_EMAILS).cascade().execute();
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<String> blocks = markedBlocks(readme);
        assertThat(blocks).as("marked README blocks").hasSizeGreaterThanOrEqualTo(3);

        String script = "set -euo pipefail\n"
                + String.join("\n", blocks).replace("localhost:8080", "localhost:" + port)
                + "\nprintf '\\nACCESS_TOKEN=%s\\nTASK_ID=%s\\nETAG=%s\\n' \"$ACCESS_TOKEN\" \"$TASK_ID\" \"$ETAG\"\n";
        Result result = bash(script);

        String out = result.stdout();
        assertThat(result.exitCode()).as("exit status of the README's examples%n%s%n%s", out, result.stderr()).isZero();
        assertThat(out).contains("{\"status\":\"healthy\",\"database\":\"up\"}");
        assertThat(out).contains("\"email\":\"ada@example.com\"");
        assertThat(out).matches("(?s).*\nACCESS_TOKEN=eyJ[^\n]+\n.*");
        assertThat(out).matches("(?s).*\nTASK_ID=[0-9a-f-]{36}\n.*");
        assertThat(out).matches("(?s).*\nETAG=\"1\"\n.*");
        assertThat(out).as("the PATCH's answer, as the README's comment shows it")
                .contains("\"completed\":true").contains("\"next_occurrence\":{").contains("\"due_date\":\"2026-12-03T07:00:00Z\"");
        assertThat(out).as("the DELETE with the old ETag").contains("}412\n");
        assertThat(out).as("the list in display order, as the README's comment shows it")
                .contains("[[0,\"Pack\"],[0,\"Plan the route\"],[1,\"Book the train\"]]");
        assertThat(out).doesNotContain("INTERNAL_ERROR", "null\n");
    }

    /**
     * The Java SDK quick start, the README's {@code java} block marked {@code <!-- readme-java-test -->}, compiles
     * as it stands with {@code --release 17} against the SDK, and runs against the server: it signs Ada in, creates
     * a task, lists and completes it, and reports no error.
     */
    @Test
    void theReadmeJavaQuickStartCompilesAndRuns() throws Exception {
        db.truncate(dev.todoapi.db.jooq.Tables.USERS, dev.todoapi.db.jooq.Tables.USER_EMAILS).cascade().execute();
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int mark = readme.indexOf("<!-- readme-java-test -->");
        assertThat(mark).as("the marked Java quick start").isPositive();
        int open = readme.indexOf("```java\n", mark);
        String source = readme.substring(open + 8, readme.indexOf("\n```", open) + 1);
        assertThat(source).contains("public class QuickStart");

        Path dir = Files.createTempDirectory("quickstart");
        Files.writeString(dir.resolve("QuickStart.java"), source);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        var errors = new java.io.ByteArrayOutputStream();
        int compiled = compiler.run(null, null, errors, "--release", "17", "-classpath", classpath, "-d", dir.toString(),
                dir.resolve("QuickStart.java").toString());
        assertThat(compiled).as("javac of the README's quick start:%n%s", errors).isZero();

        var register = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/api/v1/auth/register"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"email\":\"ada@example.com\",\"password\":\"correct horse battery staple\",\"name\":\"Ada\"}"))
                .build();
        assertThat(java.net.http.HttpClient.newHttpClient().send(register, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode()).isEqualTo(201);

        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
            loader.loadClass("QuickStart").getMethod("main", String[].class)
                    .invoke(null, (Object) new String[] {"http://localhost:" + port});
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).as("the quick start's errors").isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Write the report (due ").contains("completed: Write the report");
    }

    record Result(int exitCode, String stdout, String stderr) {}

    private static Result bash(String script) throws IOException, InterruptedException {
        Path out = Files.createTempFile("readme", ".out");
        Path err = Files.createTempFile("readme", ".err");
        Process process = new ProcessBuilder("bash", "-c", script)
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean done = process.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        return new Result(done ? process.exitValue() : -1, Files.readString(out), Files.readString(err));
    }
}
