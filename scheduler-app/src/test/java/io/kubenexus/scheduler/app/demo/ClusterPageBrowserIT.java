package io.kubenexus.scheduler.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cluster page in a real headless browser (Debian's {@code chromium} driven by the npm package
 * {@code playwright-core}, src/test/browser): against a running cluster (see {@link ClusterPageFixture})
 * the page shows the node count and a waiting gang's reason, shows a pod created through the API
 * without a reload, and a NUMA node's zones on click; a screenshot lands in
 * {@code target/cluster-page.png}.
 *
 * <p>Skipped, with a message, only where {@code chromium} or {@code node} cannot be found. When
 * {@code node_modules} is missing it runs {@code npm ci} (the lock file is committed) and fails if
 * that fails: .ci/run installs both.
 */
class ClusterPageBrowserIT {
    private static final Path BROWSER_DIR = Path.of("src", "test", "browser");
    private static final Path SCREENSHOT = Path.of("target", "cluster-page.png");
    private static final Path LOG = Path.of("target", "cluster-page-browser.log");

    @Test
    void thePageShowsTheClusterAndFollowsIt() throws Exception {
        String chromium = onPath("chromium");
        String node = onPath("node");
        assumeTrue(chromium != null, "chromium not found on the PATH (apt-get install chromium): browser test skipped");
        assumeTrue(node != null, "node not found on the PATH (apt-get install nodejs): browser test skipped");
        installPlaywrightIfMissing();

        try (ClusterPageFixture cluster = ClusterPageFixture.start(40, 150, 7)) {
            cluster.gang("train", 3, 1, "1");
            Files.createDirectories(LOG.getParent());
            Process run = new ProcessBuilder(node, "cluster-page.test.mjs",
                    "--chromium", chromium,
                    "--page", cluster.pageUrl(),
                    "--api", cluster.apiUrl(),
                    "--namespace", ClusterPageFixture.NAMESPACE,
                    "--nodes", Integer.toString(cluster.nodeCount()),
                    "--gang", ClusterPageFixture.NAMESPACE + "/train",
                    "--screenshot", SCREENSHOT.toAbsolutePath().toString())
                    .directory(BROWSER_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(LOG.toFile())
                    .start();
            boolean finished = run.waitFor(4, TimeUnit.MINUTES);
            if (!finished) {
                run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(LOG, StandardCharsets.UTF_8);
            assertThat(finished).as("the browser test finished within 4 minutes; its output:%n%s", output).isTrue();
            assertThat(run.exitValue()).as("the browser test's exit status; its output:%n%s", output).isZero();
            assertThat(output).contains("step: node count 40 shown", "step: waiting gang", "without a reload",
                    "NUMA zones shown");
            assertThat(SCREENSHOT).isNotEmptyFile();
        }
    }

    /** {@code npm ci} from the committed lock file when the test's node_modules is not there yet. */
    private static void installPlaywrightIfMissing() throws IOException, InterruptedException {
        if (Files.isDirectory(BROWSER_DIR.resolve("node_modules").resolve("playwright-core"))) {
            return;
        }
        String npm = onPath("npm");
        assertThat(npm).as("npm is needed to install playwright-core into %s (node is here, npm is not)", BROWSER_DIR)
                .isNotNull();
        Process install = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund").directory(BROWSER_DIR.toFile())
                .redirectErrorStream(true).start();
        String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(install.waitFor(5, TimeUnit.MINUTES) && install.exitValue() == 0)
                .as("npm ci in %s (it needs the npm registry once); its output:%n%s", BROWSER_DIR, output).isTrue();
    }

    /** What {@code command -v NAME} finds, or null. */
    static String onPath(String name) throws IOException, InterruptedException {
        Process which = new ProcessBuilder("sh", "-c", "command -v " + name).redirectErrorStream(true).start();
        String found = new String(which.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return which.waitFor() == 0 && !found.isEmpty() ? List.of(found.split("\n")).get(0) : null;
    }
}
