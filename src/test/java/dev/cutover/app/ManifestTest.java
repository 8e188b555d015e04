package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cutover.commands.PscaleCommand;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The two Slack app manifests say what the code does: the same command and scopes, by HTTP or over Socket Mode. */
class ManifestTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void httpManifest_pointsSlackAtSlackEvents() throws Exception {
        JsonNode manifest = YAML.readTree(Path.of("manifest.yml").toFile());

        assertThat(manifest.at("/settings/socket_mode_enabled").asBoolean()).isFalse();
        assertThat(manifest.at("/features/slash_commands/0/command").asText()).isEqualTo(PscaleCommand.COMMAND);
        assertThat(manifest.at("/features/slash_commands/0/url").asText()).endsWith("/slack/events");
        assertThat(manifest.at("/settings/interactivity/request_url").asText()).endsWith("/slack/events");
    }

    @Test
    void socketModeManifest_needsNoUrl_andOtherwiseMatches() throws Exception {
        JsonNode http = YAML.readTree(Path.of("manifest.yml").toFile());
        JsonNode socket = YAML.readTree(Path.of("manifest-socket-mode.yml").toFile());

        assertThat(socket.at("/settings/socket_mode_enabled").asBoolean()).isTrue();
        assertThat(socket.at("/settings/interactivity/is_enabled").asBoolean()).isTrue();
        assertThat(socket.toString()).doesNotContain("YOUR-HOST", "request_url", "\"url\"");
        assertThat(socket.at("/oauth_config")).isEqualTo(http.at("/oauth_config"));
        assertThat(socket.at("/features/slash_commands/0/command")).isEqualTo(http.at("/features/slash_commands/0/command"));
    }
}
