import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs npm for the Maven build (profile {@code typescript} of client-sdk/pom.xml and server/pom.xml), so that a
 * machine without Node.js still builds: it then prints why the TypeScript part did not run and succeeds,
 * unless {@code --required=true} (what {@code -Dtodo.typescript.required=true} passes; .ci/run sets it).
 *
 * <pre>
 * java RunNpm.java [--required=true|false] [--failure-file=FILE] [--unless-installed] -- NPM_ARGS...
 * </pre>
 *
 * runs npm in the working directory. With {@code --unless-installed} (for {@code npm ci}) it does nothing when
 * node_modules was installed after package.json and package-lock.json last changed, which saves a repeated
 * local build its reinstall; a fresh clone, as in CI, always installs.
 *
 * With {@code --failure-file}, a failure is written to FILE (deleted first) and this exits 0, so that Maven
 * still reaches post-integration-test and stops the server it started; the verify phase fails the build if
 * FILE exists (what maven-failsafe-plugin does for Java tests).
 */
public class RunNpm {

    private static final int MIN_NODE_MAJOR = 20;

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean required = false;
        boolean unlessInstalled = false;
        Path failureFile = null;
        List<String> npmArgs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                npmArgs.addAll(List.of(args).subList(i + 1, args.length));
                break;
            } else if (arg.startsWith("--required=")) {
                required = Boolean.parseBoolean(arg.substring("--required=".length()).strip());
            } else if (arg.equals("--unless-installed")) {
                unlessInstalled = true;
            } else if (arg.startsWith("--failure-file=")) {
                failureFile = Path.of(arg.substring("--failure-file=".length()));
            } else {
                throw new IllegalArgumentException("Unknown argument " + arg + "; usage: RunNpm [--required=BOOL] [--failure-file=FILE] [--unless-installed] -- NPM_ARGS");
            }
        }
        if (failureFile != null) {
            Files.deleteIfExists(failureFile);
        }

        String what = "npm " + String.join(" ", npmArgs);
        String problem = nodeProblem();
        if (problem != null) {
            if (required) {
                System.err.println("[ERROR] " + problem + ": cannot run `" + what + "` for the TypeScript client, which this build requires"
                        + " (-Dtodo.typescript.required=true). Install Node.js " + MIN_NODE_MAJOR + " or newer with npm.");
                if (failureFile != null) {
                    fail(failureFile, problem + " (and -Dtodo.typescript.required=true)");
                    System.exit(0);
                }
                System.exit(1);
            }
            System.out.println("[WARNING] " + problem + ": skipping `" + what + "` (the TypeScript client's build and tests)."
                    + " Install Node.js " + MIN_NODE_MAJOR + " or newer with npm to run them; -Dtodo.typescript.skip=true skips them quietly.");
            System.exit(0);
        }

        if (unlessInstalled && installed()) {
            System.out.println("node_modules is up to date with package-lock.json: `" + what + "` not needed");
            System.exit(0);
        }

        List<String> command = new ArrayList<>();
        command.add(executable("npm").orElseThrow().toString());
        command.addAll(npmArgs);
        int exitCode = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (failureFile != null) {
            if (exitCode != 0) {
                fail(failureFile, "`" + what + "` exited with " + exitCode);
            }
            System.exit(0);
        }
        System.exit(exitCode);
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
        for (String dir : path.split(java.io.File.pathSeparator)) {
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

    private static void fail(Path failureFile, String reason) throws IOException {
        if (failureFile.getParent() != null) {
            Files.createDirectories(failureFile.getParent());
        }
        Files.writeString(failureFile, reason + System.lineSeparator());
    }
}
