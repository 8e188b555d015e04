package dev.cutover.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A policy file that cannot be read stops start-up with the file's line, not with a stack trace. */
@Timeout(30)
class InvalidPolicyStartupTest {
    @TempDir
    Path dir;

    @Test
    void unknownActionInThePolicyFile_stopsStartUpNamingItsLine() throws Exception {
        Path policy = dir.resolve("policy.yml");
        Files.writeString(policy, String.join("\n",
                "default: deny",
                "rules:",
                "  - actions: [deploy]",
                "    databases: [shop]",
                "    allow: [U0ALICE]",
                "  - actions: [deploy, deploi]",
                "    databases: [shop]",
                "    allow: [U0BOB]",
                ""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[0], environment(policy), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(Main.EXIT_CONFIG);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the policy file is invalid")
                .contains("line 6").contains("deploi").doesNotContain("Exception");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("listening");
    }

    private Map<String, String> environment(Path policy) {
        Map<String, String> env = new HashMap<>();
        env.put("SLACK_BOT_TOKEN", "xoxb-test");
        env.put("SLACK_SIGNING_SECRET", "test-signing-secret");
        // Nothing listens here: start-up must fail on the policy before anything is called.
        env.put("SLACK_API_URL", "http://127.0.0.1:9/api/");
        env.put("PLANETSCALE_ORG", "acme");
        env.put("PLANETSCALE_SERVICE_TOKEN_ID", "test-token-id");
        env.put("PLANETSCALE_SERVICE_TOKEN", "pscale_tkn_test_secret_value");
        env.put("PLANETSCALE_API_URL", "http://127.0.0.1:9/v1");
        env.put("PLANETSCALE_WEBHOOK_SECRET", "test-webhook-secret");
        env.put("PORT", "0");
        env.put("CUTOVER_DATA_DIR", dir.resolve("data").toString());
        env.put("CUTOVER_POLICY_FILE", policy.toString());
        return env;
    }
}
