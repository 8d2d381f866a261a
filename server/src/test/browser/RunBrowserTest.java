import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the browser test of the docs pages (test/, Playwright driving the system's Chromium) for server/pom.xml
 * (profile {@code typescript}, phase integration-test, against the server that profile starts; TODO_API_URL comes
 * from there). In this folder: {@code npm ci} when package-lock.json changed, then {@code npm test}.
 *
 * <pre>
 * java RunBrowserTest.java --artifacts=DIR [--required=BOOL] [--skip=BOOL] [--chromium=PATH]
 * </pre>
 *
 * Without Node.js 20+ or Chromium it prints why and succeeds, unless {@code --required=true}
 * ({@code -Dtodo.browser.required=true}; .ci/run sets it). Chromium is {@code --chromium}
 * ({@code -Dtodo.browser.chromium}), else $CHROMIUM_PATH, else chromium or chromium-browser on the PATH; never a
 * browser Playwright downloads. DIR is emptied first; it receives the test's screenshots, HTML and page logs on
 * failure. A failure (or a required prerequisite missing) is written to DIR/browser-test.failed and this exits 0,
 * so that Maven still stops the server in post-integration-test; the verify phase fails the build if that file exists.
 */
public class RunBrowserTest {

    private static final int MIN_NODE_MAJOR = 20;
    static final String FAILURE_FILE = "browser-test.failed";

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean required = false;
        boolean skip = false;
        String chromiumArg = "";
        Path artifacts = null;
        for (String arg : args) {
            if (arg.startsWith("--required=")) {
                required = Boolean.parseBoolean(arg.substring("--required=".length()).strip());
            } else if (arg.startsWith("--skip=")) {
                skip = Boolean.parseBoolean(arg.substring("--skip=".length()).strip());
            } else if (arg.startsWith("--chromium=")) {
                chromiumArg = arg.substring("--chromium=".length()).strip();
            } else if (arg.startsWith("--artifacts=")) {
                artifacts = Path.of(arg.substring("--artifacts=".length())).toAbsolutePath();
            } else {
                throw new IllegalArgumentException("Unknown argument " + arg
                        + "; usage: RunBrowserTest --artifacts=DIR [--required=BOOL] [--skip=BOOL] [--chromium=PATH]");
            }
        }
        if (artifacts == null) {
            throw new IllegalArgumentException("--artifacts=DIR is required");
        }
        empty(artifacts); // also drops a failure file of an earlier run
        if (skip) {
            System.out.println("[INFO] Browser tests (/docs, /redoc, the event stream, the Replica) skipped (-Dtodo.browser.skip=true).");
            return;
        }
        Path failureFile = artifacts.resolve(FAILURE_FILE);

        String problem = nodeProblem();
        Optional<Path> chromium = Optional.empty();
        if (problem == null) {
            chromium = chromium(chromiumArg);
            if (chromium.isEmpty()) {
                problem = chromiumArg.isEmpty()
                        ? "Chromium is not installed (no chromium or chromium-browser on the PATH, no CHROMIUM_PATH)"
                        : "Chromium " + chromiumArg + " (-Dtodo.browser.chromium) does not run";
            }
        }
        if (problem != null) {
            String install = "Install Node.js " + MIN_NODE_MAJOR + "+ with npm and Chromium (Debian: apt-get install chromium)";
            if (required) {
                System.err.println("[ERROR] " + problem + ": cannot run the browser tests (/docs, /redoc, the event stream and the TypeScript Replica), which this build"
                        + " requires (-Dtodo.browser.required=true). " + install + ".");
                fail(failureFile, problem + " (and -Dtodo.browser.required=true)");
                return;
            }
            System.out.println("[WARNING] " + problem + ": skipping the browser tests (/docs, /redoc, the event stream and the TypeScript Replica) (server/src/test/browser). "
                    + install + " to run it; -Dtodo.browser.skip=true skips it quietly.");
            return;
        }

        long started = System.nanoTime();
        if (!installed()) {
            int exit = npm(null, artifacts, "ci", "--prefer-offline", "--no-audit", "--no-fund");
            if (exit != 0) {
                fail(failureFile, "`npm ci` in server/src/test/browser exited with " + exit);
                return;
            }
        }
        System.out.println("[INFO] Browser tests (/docs, /redoc, the event stream, the Replica) with " + chromium.get());
        int exit = npm(chromium.get(), artifacts, "test");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        if (exit != 0) {
            System.err.println("[ERROR] The browser test failed after " + seconds + " s; screenshots, HTML and page logs in " + artifacts);
            fail(failureFile, "`npm test` in server/src/test/browser exited with " + exit + "; see " + artifacts);
        } else {
            System.out.println("[INFO] Browser tests (/docs, /redoc, the event stream, the Replica) passed in " + seconds + " s.");
        }
    }

    private static int npm(Path chromium, Path artifacts, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable("npm").orElseThrow().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"); // the system's Chromium, never a download
        builder.environment().put("ARTIFACTS_DIR", artifacts.toString());
        if (chromium != null) {
            builder.environment().put("CHROMIUM_PATH", chromium.toString());
        }
        return builder.start().waitFor();
    }

    /** The Chromium to use, if it answers {@code --version}. */
    private static Optional<Path> chromium(String configured) throws InterruptedException {
        List<Path> candidates = new ArrayList<>();
        if (!configured.isEmpty()) {
            candidates.add(Path.of(configured));
        } else {
            String env = System.getenv("CHROMIUM_PATH");
            if (env != null && !env.isBlank()) {
                candidates.add(Path.of(env.strip()));
            } else {
                executable("chromium").ifPresent(candidates::add);
                executable("chromium-browser").ifPresent(candidates::add);
            }
        }
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
                continue;
            }
            try {
                Process process = new ProcessBuilder(candidate.toString(), "--version").redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0 && output.contains("Chrom")) {
                    output.lines().filter(line -> line.contains("Chrom")).findFirst()
                            .ifPresent(line -> System.out.println("[INFO] " + candidate + ": " + line.strip()));
                    return Optional.of(candidate);
                }
                process.destroyForcibly();
            } catch (IOException e) {
                // not runnable: try the next one
            }
        }
        return Optional.empty();
    }

    /** Why npm can't run here, or null. */
    private static String nodeProblem() throws InterruptedException {
        Optional<Path> node = executable("node");
        if (node.isEmpty() || executable("npm").isEmpty()) {
            return "Node.js and npm are not on the PATH";
        }
        try {
            Process process = new ProcessBuilder(node.get().toString(), "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            Matcher major = Pattern.compile("^v(\\d+)\\.").matcher(version);
            if (!major.find()) {
                return "`node --version` printed " + version;
            }
            if (Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
                return "Node.js " + version + " is too old";
            }
            return null;
        } catch (IOException e) {
            return "Node.js does not run (" + e.getMessage() + ")";
        }
    }

    /** Whether npm installed node_modules after package.json and package-lock.json last changed. */
    private static boolean installed() throws IOException {
        Path marker = Path.of("node_modules", ".package-lock.json"); // npm writes it on every install
        if (!Files.exists(marker)) {
            return false;
        }
        var installedAt = Files.getLastModifiedTime(marker);
        for (String file : List.of("package.json", "package-lock.json")) {
            if (Files.getLastModifiedTime(Path.of(file)).compareTo(installedAt) > 0) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Path> executable(String name) {
        boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
        List<String> names = windows ? List.of(name + ".cmd", name + ".exe") : List.of(name);
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            for (String candidate : names) {
                Path file = Path.of(dir, candidate);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    private static void empty(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(dir);
    }

    private static void fail(Path failureFile, String reason) throws IOException {
        Files.createDirectories(failureFile.getParent());
        Files.writeString(failureFile, reason + System.lineSeparator());
    }
}
