package dev.cutover.slack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only Slack's hosts may receive an answer through {@code response_url}. */
class ResponseUrlsTest {
    final ResponseUrls slack = new ResponseUrls("https://slack.com/api/");
    final ResponseUrls govSlack = new ResponseUrls("https://slack-gov.com/api/");
    final ResponseUrls fake = new ResponseUrls("http://127.0.0.1:41234/api/");

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.slack.com/commands/T0/1/abc", "https://HOOKS.slack.com/actions/T0/1/abc",
            "https://hooks.slack.com:443/commands/T0/1/abc", "https://slack.com/api/x"})
    void slacksOwnHooks_areAllowed(String url) {
        assertThat(slack.allows(url)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.slack.com/commands/T0/1/abc", "https://hooks.slack.com.evil.example/x",
            "https://evil.example/hooks.slack.com", "https://hooks.slack.com@evil.example/x",
            "https://user@hooks.slack.com/x", "https://hooks.slack.com:8443/x", "https://169.254.169.254/latest",
            "http://127.0.0.1:41234/api/", "file:///etc/passwd", "gopher://hooks.slack.com:70/_x", "ftp://hooks.slack.com/x",
            "not a url", "", "   "})
    void everythingElse_isRefused(String url) {
        assertThat(slack.allows(url)).as(url).isFalse();
    }

    @org.junit.jupiter.api.Test
    void null_isRefused() {
        assertThat(slack.allows(null)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void theHostOfSlackApiUrl_isAllowed_forGovSlackAndTests() {
        assertThat(govSlack.allows("https://hooks.slack-gov.com/commands/T0/1/abc")).isTrue();
        assertThat(govSlack.allows("https://hooks.slack.com/commands/T0/1/abc")).isTrue();
        assertThat(fake.allows("http://127.0.0.1:41234/response/abc")).isTrue();
        assertThat(fake.allows("http://127.0.0.1:41235/response/abc")).isFalse();
        assertThat(fake.allows("https://127.0.0.1:41234/response/abc")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void describe_showsOnlySchemeAndHost() {
        assertThat(ResponseUrls.describe("https://evil.example/secret/path?token=1")).isEqualTo("https://evil.example");
        assertThat(ResponseUrls.describe("file:///etc/passwd")).isEqualTo("file://");
        assertThat(ResponseUrls.describe("::not")).isEqualTo("something that is not a URL");
    }
}
