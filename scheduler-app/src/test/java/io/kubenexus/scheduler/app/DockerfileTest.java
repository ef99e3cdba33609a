package io.kubenexus.scheduler.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubenexus.scheduler.app.config.HttpConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/Dockerfile read for the rules the image must keep: a Maven build stage and a JRE runtime
 * stage, a numeric non-root user, container JVM flags, pinned (never {@code latest}) base images,
 * the default HTTP port exposed; and a .dockerignore that keeps build output and .git out.
 *
 * <p>The image itself cannot be built here: these machines have no Docker engine (and hadolint is
 * not available), so this test checks the file as text.
 */
class DockerfileTest {
    private static String dockerfile;
    private static List<String> instructions;
    private static Path root;

    @BeforeAll
    static void read() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy/Dockerfile"))) {
                root = dir;
                break;
            }
        }
        assertThat(root).as("deploy/Dockerfile above the working directory").isNotNull();
        dockerfile = Files.readString(root.resolve("deploy/Dockerfile"));
        instructions = dockerfile.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    @Test
    void buildsWithMavenInOneStageAndRunsOnAJreInAnother() {
        List<String> froms = instructions.stream().filter(line -> line.startsWith("FROM ")).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).endsWith(" AS build");
        assertThat(baseImage(froms.get(0))).startsWith("maven:").contains("temurin-17");
        assertThat(baseImage(froms.get(1))).matches("eclipse-temurin:(1[7-9]|2\\d)-jre.*");
        assertThat(dockerfile).contains("mvn -B -DskipTests package -pl scheduler-app -am");
        assertThat(instructions).anyMatch(line -> line.matches(
                "COPY --from=build .*kubenexus-scheduler\\.jar /app/kubenexus-scheduler\\.jar"));
    }

    @Test
    void noBaseImageIsLatestOrUntagged() {
        for (String from : instructions.stream().filter(line -> line.startsWith("FROM ")).toList()) {
            String image = baseImage(from);
            assertThat(image).as(from).contains(":").doesNotEndWith(":latest");
        }
    }

    @Test
    void runsAsANumericNonRootUser() {
        List<String> users = instructions.stream().filter(line -> line.startsWith("USER ")).toList();
        assertThat(users).hasSize(1);
        Matcher user = Pattern.compile("USER (\\d+)(?::(\\d+))?").matcher(users.get(0));
        assertThat(user.matches()).as("numeric: %s", users.get(0)).isTrue();
        assertThat(Integer.parseInt(user.group(1))).isPositive();
        int lastFrom = lastIndexOf("FROM ");
        assertThat(instructions.indexOf(users.get(0))).as("USER in the runtime stage").isGreaterThan(lastFrom);
    }

    @Test
    void startsTheJarWithContainerJvmFlags() {
        String entrypoint = instructions.stream().filter(line -> line.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        assertThat(entrypoint).startsWith("ENTRYPOINT [\"java\",")
                .contains("\"-XX:MaxRAMPercentage=75\"", "\"-XX:+ExitOnOutOfMemoryError\"")
                .endsWith("\"-jar\", \"/app/kubenexus-scheduler.jar\"]");
    }

    @Test
    void exposesTheDefaultHttpPort() {
        assertThat(instructions).contains("EXPOSE " + HttpConfig.DEFAULT_PORT);
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndGit() throws IOException {
        List<String> ignored = Files.readAllLines(root.resolve(".dockerignore")).stream().map(String::strip).toList();
        assertThat(ignored).contains("**/target", ".git", "docs");
        assertThat(ignored).as("the build needs every module and the Dockerfile")
                .doesNotContain("deploy", "deploy/Dockerfile", "pom.xml", "*.xml");
    }

    private static String baseImage(String from) {
        String image = from.split("\\s+")[1];
        if (image.startsWith("${")) {
            String arg = image.substring(2, image.length() - 1);
            Matcher declared = Pattern.compile("(?m)^ARG " + Pattern.quote(arg) + "=(\\S+)$").matcher(dockerfile);
            assertThat(declared.find()).as("ARG %s has a default", arg).isTrue();
            return declared.group(1);
        }
        return image;
    }

    private static int lastIndexOf(String prefix) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
