package io.kubenexus.scheduler.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/configuration.md true: its examples must parse, and the full one must be the defaults. */
class DocumentedConfigurationTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final Map<String, String> ENV = Map.of("POD_NAMESPACE", "scheduling", "HOSTNAME", "replica-0");

    @Test
    void theExampleWithEveryKeyShowsTheDefaults() throws IOException {
        List<String> examples = yamlBlocks();

        SchedulerConfig documented = SchedulerConfig.parse(examples.get(0), "docs/configuration.md", ENV);
        SchedulerConfig defaults = SchedulerConfig.defaults(ENV);

        assertThat(documented.settings()).isEqualTo(defaults.settings());
        assertThat(documented.binding()).isEqualTo(defaults.binding());
        assertThat(documented.events()).isEqualTo(defaults.events());
        // The identity carries a random part; everything else must match.
        assertThat(documented.describe()).hasSameSizeAs(defaults.describe());
        Map<String, String> withoutIdentity = new LinkedHashMap<>(documented.describe());
        Map<String, String> defaultsWithoutIdentity = new LinkedHashMap<>(defaults.describe());
        withoutIdentity.remove("leaderElection.identity");
        defaultsWithoutIdentity.remove("leaderElection.identity");
        assertThat(withoutIdentity).isEqualTo(defaultsWithoutIdentity);
    }

    @Test
    void everyDocumentedExampleIsAValidConfiguration() throws IOException {
        for (String yaml : yamlBlocks()) {
            SchedulerConfig.parse(yaml, "docs/configuration.md", ENV);
        }
    }

    @Test
    void everyKeyOfTheFileFormatIsDocumented() throws IOException {
        String doc = Files.readString(DOC);

        for (String key : SchedulerConfig.defaults(ENV).describe().keySet()) {
            assertThat(doc).as("docs/configuration.md documents %s", key).contains("`" + key + "`");
        }
    }

    @Test
    void everyDocumentedKeyIsAKeyOfTheFileFormat() throws IOException {
        Matcher heading = Pattern.compile("(?m)^### (.+)$").matcher(Files.readString(DOC));
        List<String> documented = new ArrayList<>();
        while (heading.find()) {
            Matcher key = Pattern.compile("`([^`]+)`").matcher(heading.group(1));
            while (key.find()) {
                documented.add(key.group(1));
            }
        }

        assertThat(documented).as("keys with a section in docs/configuration.md").isNotEmpty()
                .allSatisfy(key -> assertThat(SchedulerConfig.defaults(ENV).describe()).as("the file format has %s", key)
                        .containsKey(key));
        assertThat(documented).as("each key documented once").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(SchedulerConfig.defaults(ENV).describe().keySet());
    }

    @Test
    void theWrongTypeExampleOfTheDocIsTheRealMessage() {
        assertThatThrownBy(() -> SchedulerConfig.parse("binding: {parallelism: many}\n", "config.yaml", ENV))
                .hasMessage("config.yaml: binding.parallelism: expected a whole number, was 'many'");
    }

    private static List<String> yamlBlocks() throws IOException {
        Matcher matcher = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
        List<String> blocks = new ArrayList<>();
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        assertThat(blocks).as("yaml examples in %s", DOC).hasSizeGreaterThanOrEqualTo(2);
        return blocks;
    }
}
