import java.io.File;
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
 * Lints openapi.yaml with Spectral for the api module's build (phase verify): installs this folder's pinned npm
 * packages when package-lock.json changed ({@code npm ci}), then runs {@code npm run lint}, which fails on any error.
 * Without Node.js it prints why and succeeds, unless {@code --required=true} ({@code -Dtodo.lint.required=true};
 * .ci/run's {@code -Dtodo.typescript.required=true} implies it).
 *
 * <pre>java RunLint.java [--required=true|false] [--skip-tests=true|false]</pre>
 */
public class RunLint {

    private static final int MIN_NODE_MAJOR = 18;

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean required = false;
        for (String arg : args) {
            if (arg.startsWith("--required=")) {
                required = Boolean.parseBoolean(arg.substring("--required=".length()).strip());
            } else if (arg.equals("--skip-tests=true")) {
                System.out.println("[INFO] Contract lint skipped with the tests (-DskipTests).");
                return;
            } else if (!arg.startsWith("--skip-tests=")) {
                throw new IllegalArgumentException("Unknown argument " + arg + "; usage: RunLint [--required=BOOL] [--skip-tests=BOOL]");
            }
        }
        String problem = nodeProblem();
        if (problem != null) {
            if (required) {
                System.err.println("[ERROR] " + problem + ": cannot lint openapi.yaml, which this build requires (-Dtodo.lint.required=true)."
                        + " Install Node.js " + MIN_NODE_MAJOR + " or newer with npm.");
                System.exit(1);
            }
            System.out.println("[WARNING] " + problem + ": skipping the lint of openapi.yaml (Spectral, api/lint)."
                    + " Install Node.js " + MIN_NODE_MAJOR + " or newer with npm to run it; -Dtodo.lint.skip=true skips it quietly.");
            return;
        }
        Path installed = Path.of("node_modules", ".package-lock.json");
        if (!Files.exists(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(Path.of("package-lock.json"))) < 0) {
            int exit = npm("ci", "--no-audit", "--no-fund");
            if (exit != 0) {
                System.err.println("[ERROR] npm ci failed in api/lint (exit " + exit + ").");
                System.exit(exit);
            }
        }
        int exit = npm("run", "--silent", "lint");
        if (exit != 0) {
            System.err.println("[ERROR] openapi.yaml has lint errors (above). Rules: api/lint/.spectral.yaml.");
        } else {
            System.out.println("[INFO] openapi.yaml passes the lint (Spectral spectral:oas and api/lint/.spectral.yaml).");
        }
        System.exit(exit);
    }

    private static int npm(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable("npm").orElseThrow().toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("SCARF_ANALYTICS", "false"); // a dependency's install telemetry
        return builder.start().waitFor();
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

    private static Optional<Path> executable(String name) {
        boolean windows = System.getProperty("os.name").toLowerCase().startsWith("windows");
        List<String> names = windows ? List.of(name + ".cmd", name + ".exe") : List.of(name);
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            for (String candidate : dir.isBlank() ? List.<String>of() : names) {
                Path file = Path.of(dir, candidate);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }
}
