package dev.cutover.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.sandbox.AttributedRequest;
import dev.cutover.security.CapturedLogs;
import dev.cutover.testing.Answers;
import dev.cutover.testing.Cards;
import dev.cutover.testing.CutoverExtension;
import dev.cutover.testing.FakeSlackApi;
import dev.cutover.testing.RunningCutover;
import dev.cutover.testing.SlackRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Linking a Slack user to their PlanetScale account end to end, over real HTTP: {@code /pscale login} in the fake
 * Slack, Cutover's login redirect, the sandbox's authorize page, the callback, the code exchange at the sandbox's
 * token endpoint; then writes reaching PlanetScale with the person's own token. In the demo data shop#2 was opened by
 * Alice Ng (actor {@code alice-ng}) and shop#3 is approved and ready.
 */
@Timeout(60)
class LinkedAccountTest {
    static final String CHANNEL = "C0DEPLOYS";
    static final String ALICE = "U0ALICE";
    static final String BOB = "U0BOB";
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes, base64
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CutoverExtension cutover = CutoverExtension.sandbox().env("CUTOVER_ENCRYPTION_KEY", KEY);
    final FakeSlackApi slack = cutover.slack();
    final OkHttpClient browser = new OkHttpClient.Builder().followRedirects(false).followSslRedirects(false)
            .readTimeout(10, TimeUnit.SECONDS).build();
    final AtomicInteger names = new AtomicInteger();
    SlackRequests requests;

    @BeforeEach
    void start() {
        requests = new SlackRequests(cutover.service());
    }

    @Test
    void fullLinkFlow_linksThePerson_andTellsThemInSlackWhoTheyAre() throws Exception {
        Page page = link(ALICE, "alice-ng");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("linked to PlanetScale as Alice Ng");
        await().atMost(Duration.ofSeconds(10)).until(() -> !slack.posts(ALICE).isEmpty());
        assertThat(slack.posts(ALICE).get(0).param("text")).contains("linked to PlanetScale as *Alice Ng*");
        assertThat(answer(ALICE, "whoami")).contains("linked to PlanetScale as *Alice Ng*").contains("alice-ng");
    }

    @Test
    void loginAnswer_isPrivate_andItsLinkLeadsToPlanetScalesAuthorizePage() throws Exception {
        String name = "login-" + names.incrementAndGet();
        requests.command(ALICE, CHANNEL, "login", slack.responseUrl(name));
        JsonNode answer = Answers.first(slack, name);
        String loginUrl = buttonUrl(answer);

        Page redirect = get(loginUrl, null);

        assertThat(answer.path("response_type").asText("ephemeral")).isEqualTo("ephemeral");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.location()).startsWith(cutover.service().simulator().authorizeUrl() + "?client_id=");
        assertThat(redirect.location()).contains("redirect_uri=" + enc(cutover.service().url("/oauth/planetscale/callback")));
        assertThat(redirect.cookie()).isNotBlank();
    }

    @Test
    void forgedState_isRefused_withAPage_andNothingIsLinked() throws Exception {
        Login login = login(ALICE);
        String forged = login.state().substring(0, login.state().length() - 4) + "AAAA";

        Page page = get(cutover.service().url("/oauth/planetscale/callback?code=x&state=" + enc(forged)),
                login.cookie());

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("not one Cutover made");
        assertThat(answer(ALICE, "whoami")).contains("not linked");
    }

    @Test
    void malformedCallbacksAndLogins_getAClearPage_neverA5xx() throws Exception {
        List<String> paths = List.of("/oauth/planetscale/callback", "/oauth/planetscale/callback?state=&code=",
                "/oauth/planetscale/callback?state=%00%ff.x&code=1", "/oauth/planetscale/login",
                "/oauth/planetscale/login?state=" + "A".repeat(5000), "/oauth/planetscale/callback?error=access_denied",
                "/oauth/planetscale/elsewhere");

        for (String path : paths) {
            Page page = get(cutover.service().url(path), "whatever");

            assertThat(page.status()).as(path).isBetween(400, 499);
            assertThat(page.body()).as(path).contains("<h1>").doesNotContain("Exception");
        }
    }

    @Test
    void replayedState_isRefusedTheSecondTime() throws Exception {
        Login login = login(ALICE);
        String callback = consent(login, "alice-ng");
        assertThat(get(callback, login.cookie()).status()).isEqualTo(200);

        Page replay = get(callback, login.cookie());

        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body()).contains("already used");
    }

    @Test
    void expiredState_isRefused() throws Exception {
        Login login = login(ALICE);
        String callback = consent(login, "alice-ng");

        cutover.clock().advance(Duration.ofMinutes(11));
        Page page = get(callback, login.cookie());

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("expired");
        assertThat(answer(ALICE, "whoami")).contains("not linked");
    }

    @Test
    void stateOfAnotherUser_completedInThisBrowser_isRefused() throws Exception {
        Login mine = login(ALICE);
        Login theirs = login(BOB);
        String theirCallback = consent(theirs, "bruno-costa");

        Page page = get(theirCallback, mine.cookie());

        assertThat(page.status()).isEqualTo(400);
        assertThat(page.body()).contains("another browser");
        assertThat(answer(BOB, "whoami")).contains("not linked");
        assertThat(answer(ALICE, "whoami")).contains("not linked");
    }

    @Test
    void tokens_areUnreadableInTheStore_withoutTheKey() throws Exception {
        link(ALICE, "alice-ng");

        List<String> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:"
                + cutover.dataDir().resolve("cutover.db"));
                ResultSet row = connection.createStatement().executeQuery(
                        "SELECT token_id_sealed, token_sealed, refresh_token_sealed FROM linked_account")) {
            while (row.next()) {
                stored.add(row.getString(1));
                stored.add(row.getString(2));
                stored.add(row.getString(3));
            }
        }
        String raw = rawStore();

        // The sandbox's tokens start pscale_oauth_ (and pscale_oauth_refresh_): stored in the clear they would show.
        assertThat(stored).hasSize(3).allSatisfy(value -> assertThat(value).startsWith("v1.")
                .doesNotContain("pscale_oauth"));
        assertThat(raw).doesNotContain("pscale_oauth");
    }

    @Test
    void withAnotherKey_theLinkCannotBeOpened_andTheWriteAsksToLinkAgain() throws Exception {
        link(BOB, "bruno-costa");

        cutover.env("CUTOVER_ENCRYPTION_KEY", "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");
        cutover.restart();
        requests = new SlackRequests(cutover.service());
        String answer = answer(BOB, "deploy shop 3");

        assertThat(answer).contains("cannot be read");
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> r.path().endsWith("/deploy"));
    }

    /** The store's files as bytes, WAL included (a fresh write may still be only there). */
    String rawStore() throws IOException {
        StringBuilder raw = new StringBuilder();
        try (var files = Files.list(cutover.dataDir())) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("cutover.db")).toList()) {
                raw.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return raw.toString();
    }

    @Test
    void linkedUsersDeploy_reachesPlanetScaleWithTheirToken() throws Exception {
        link(BOB, "bruno-costa");

        String answer = answer(BOB, "deploy shop 3");

        assertThat(answer).contains("queued shop#3 for deploy");
        List<AttributedRequest> deploys = cutover.service().simulator().attributedRequests().stream()
                .filter(r -> r.request().method().equals("POST") && r.request().path().endsWith("/shop/deploy-requests/3/deploy"))
                .toList();
        assertThat(deploys).hasSize(1);
        assertThat(deploys.get(0).isByUser("bruno-costa")).isTrue();
        assertThat(answer(BOB, "audit shop#3")).contains("deploy shop#3 → *done* as bruno-costa (Bruno Costa)");
        // Reads keep the service token.
        assertThat(cutover.service().simulator().attributedRequests()).filteredOn(r -> r.request().method().equals("GET"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.identity()).startsWith("service_token:"));
    }

    @Test
    void linkedUsersClickOnDeploy_reachesPlanetScaleWithTheirToken() throws Exception {
        link(BOB, "bruno-costa");

        requests.click(BOB, CHANNEL, "1700000001.000001", false, dev.cutover.deploy.DeployAction.DEPLOY.actionId(),
                RunningCutover.ORG + "/shop/3", null, slack.responseUrl("click"));

        await().atMost(Duration.ofSeconds(10)).until(() -> cutover.service().simulator().attributedRequests().stream()
                .anyMatch(r -> r.request().path().endsWith("/deploy")));
        assertThat(cutover.service().simulator().attributedRequests()).filteredOn(r -> r.request().path().endsWith("/deploy"))
                .singleElement().satisfies(r -> assertThat(r.isByUser("bruno-costa")).isTrue());
    }

    @Test
    void unlinkedUsersDeploy_underSharedIdentity_usesTheServiceToken() throws Exception {
        String answer = answer(BOB, "deploy shop 3");

        assertThat(answer).contains("queued shop#3 for deploy");
        assertThat(cutover.service().simulator().attributedRequests()).filteredOn(r -> r.request().path().endsWith("/deploy"))
                .singleElement().satisfies(r -> assertThat(r.identity()).startsWith("service_token:"));
    }

    @Test
    void authorApprovingTheirOwnRequest_isRefusedByActorId_withoutAPeopleMap() throws Exception {
        link(ALICE, "alice-ng");

        String answer = answer(ALICE, "approve shop 2");

        assertThat(answer).contains("not allowed to approve").contains("you opened shop#2");
        assertThat(cutover.service().simulator().attributedRequests())
                .noneMatch(r -> r.request().method().equals("POST") && r.request().path().contains("/deploy-requests/"));
    }

    @Test
    void someoneElseLinkedApproves_andPlanetScaleRecordsThem() throws Exception {
        link(BOB, "bruno-costa");

        String answer = answer(BOB, "approve shop 2");

        assertThat(answer).contains("approved shop#2");
        assertThat(cutover.service().simulator().attributedRequests())
                .filteredOn(r -> r.request().method().equals("POST") && r.request().path().endsWith("/reviews"))
                .singleElement().satisfies(r -> assertThat(r.isByUser("bruno-costa")).isTrue());
    }

    @Test
    void tokenNearExpiry_isRefreshedBeforeTheWrite_andTheNewOneIsUsed() throws Exception {
        cutover.service().simulator().oauthTokenLifetime(Duration.ofHours(1));
        link(BOB, "bruno-costa");
        long before = cutover.service().simulator().liveOAuthTokens();

        cutover.clock().advance(Duration.ofMinutes(55));
        String answer = answer(BOB, "deploy shop 3");

        assertThat(answer).contains("queued shop#3 for deploy");
        assertThat(cutover.service().simulator().requests()).filteredOn(r -> r.path().endsWith("/token")
                && r.query().contains("grant_type=refresh_token")).hasSize(1);
        assertThat(cutover.service().simulator().liveOAuthTokens()).isEqualTo(before); // old revoked, new issued
        assertThat(cutover.service().simulator().attributedRequests()).filteredOn(r -> r.request().path().endsWith("/deploy"))
                .singleElement().satisfies(r -> assertThat(r.isByUser("bruno-costa")).isTrue());
    }

    @Test
    void refusedRefresh_asksToLinkAgainWithAButton_andNeverFallsBackToTheServiceToken() throws Exception {
        cutover.service().simulator().oauthTokenLifetime(Duration.ofHours(1));
        link(BOB, "bruno-costa");
        cutover.service().simulator().refuseOAuthRefresh(true);

        cutover.clock().advance(Duration.ofMinutes(55));
        String name = "deploy-" + names.incrementAndGet();
        requests.command(BOB, CHANNEL, "deploy shop 3", slack.responseUrl(name));
        JsonNode answer = Answers.first(slack, name);

        assertThat(answer.toString()).contains("could not be refreshed").contains("Link your PlanetScale account");
        assertThat(buttonUrl(answer)).contains("/oauth/planetscale/login?state=");
        assertThat(cutover.service().simulator().requests()).noneMatch(r -> r.path().endsWith("/deploy"));
        assertThat(answer(BOB, "whoami")).contains("no longer works");
    }

    @Test
    void planetScaleRefusingThePersonsToken_isToldInTheirTerms_andRecorded() throws Exception {
        link(BOB, "bruno-costa");
        cutover.service().simulator().revokeOAuthTokensOf("bruno-costa");

        String name = "deploy-" + names.incrementAndGet();
        JsonNode answer = requests.write(slack, BOB, CHANNEL, "deploy shop 3", slack.responseUrl(name));

        assertThat(answer.toString()).contains("PlanetScale no longer accepts the token of your linked account *Bruno Costa*")
                .contains("Link your PlanetScale account");
        assertThat(buttonUrl(answer)).contains("/oauth/planetscale/login?state=");
        assertThat(cutover.service().simulator().stateOf("shop", 3).wire()).isEqualTo("ready");
        assertThat(answer(BOB, "audit shop#3")).contains("*refused* as bruno-costa (Bruno Costa)").contains("401");
        // The rejected link is not used again: the next write asks to link, and nothing reaches PlanetScale.
        assertThat(answer(BOB, "whoami")).contains("no longer works");
        int before = cutover.service().simulator().requests().size();
        assertThat(answer(BOB, "deploy shop 3")).contains("could not be refreshed");
        assertThat(cutover.service().simulator().requests()).hasSize(before);
    }

    @Test
    void linkRefreshWriteAndLogout_logNoTokenAndNoClientSecret() throws Exception {
        // Cutover's own loggers at DEBUG (the simulated PlanetScale's web server is not ours and logs what it receives).
        ch.qos.logback.classic.Logger cutoverLogs =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.cutover");
        ch.qos.logback.classic.Level previous = cutoverLogs.getLevel();
        cutoverLogs.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (CapturedLogs logs = CapturedLogs.start()) {
            cutover.service().simulator().oauthTokenLifetime(Duration.ofHours(1));
            link(BOB, "bruno-costa");
            cutover.clock().advance(Duration.ofMinutes(55));
            answer(BOB, "deploy shop 3");
            answer(BOB, "logout");

            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("linked to PlanetScale actor"))
                    .anySatisfy(line -> assertThat(line).contains("Refreshed the PlanetScale token"))
                    .allSatisfy(line -> assertThat(line).doesNotContain("pscale_oauth")
                            .doesNotContain("sandbox-client-secret").doesNotContain(KEY));
        } finally {
            cutoverLogs.setLevel(previous);
        }
    }

    @Test
    void logout_revokesAtPlanetScale_andForgetsTheLink() throws Exception {
        link(BOB, "bruno-costa");

        String answer = answer(BOB, "logout");

        assertThat(answer).contains("Unlinked from PlanetScale account *Bruno Costa*");
        assertThat(cutover.service().simulator().liveOAuthTokens()).isZero();
        assertThat(cutover.service().simulator().requests()).filteredOn(r -> r.method().equals("DELETE")
                && r.path().contains("/oauth-applications/")).hasSize(1);
        assertThat(answer(BOB, "whoami")).contains("not linked");
    }

    /** {@code identity: linked}: no write without a link, and the refusal carries the button. */
    @Nested
    class LinkRequired {
        @RegisterExtension
        final CutoverExtension linked = CutoverExtension.sandbox().env("CUTOVER_ENCRYPTION_KEY", KEY)
                .file("CUTOVER_POLICY_FILE", "policy.yml", "identity: linked\nrules:\n  - actions: [deploy, approve]\n"
                        + "    databases: [\"*\"]\n    allow: [" + ALICE + ", " + BOB + "]\n");

        @Test
        void unlinkedUsersDeploy_isRefused_withALinkButton_andNothingReachesPlanetScale() throws Exception {
            SlackRequests slackRequests = new SlackRequests(linked.service());
            String name = "deploy-linked";
            slackRequests.command(BOB, CHANNEL, "deploy shop 3", linked.slack().responseUrl(name));
            JsonNode answer = Answers.first(linked.slack(), name);

            assertThat(answer.toString()).contains("link your PlanetScale account first")
                    .contains("Link your PlanetScale account");
            assertThat(buttonUrl(answer)).contains("/oauth/planetscale/login?state=");
            assertThat(linked.service().simulator().requests()).noneMatch(r -> r.method().equals("POST"));
            slackRequests.command(BOB, CHANNEL, "audit shop#3", linked.slack().responseUrl("audit"));
            assertThat(Answers.firstText(linked.slack(), "audit")).contains("deploy shop#3 → *needs_link* as none");
        }
    }

    // ---- the flow, step by step ----

    record Login(String url, String state, String cookie, String authorizeLocation) {}

    record Page(int status, String body, String location, String cookie) {}

    /** /pscale login, then the login link opened in a browser: Cutover sets its cookie and redirects. */
    Login login(String user) throws Exception {
        String name = "login-" + names.incrementAndGet();
        requests.command(user, CHANNEL, "login", slack.responseUrl(name));
        String url = buttonUrl(Answers.first(slack, name));
        Page redirect = get(url, null);
        assertThat(redirect.status()).isEqualTo(302);
        return new Login(url, HttpUrl.get(url).queryParameter("state"), redirect.cookie(), redirect.location());
    }

    /** On PlanetScale's authorize page, signing in as {@code actorId}; returns where PlanetScale sends the browser. */
    String consent(Login login, String actorId) throws Exception {
        HttpUrl authorize = HttpUrl.get(login.authorizeLocation());
        HttpUrl pick = authorize.newBuilder().encodedPath("/oauth/authorize/as").addQueryParameter("user", actorId).build();
        assertThat(get(login.authorizeLocation(), null).body()).contains(actorId);
        Page redirect = get(pick.toString(), null);
        assertThat(redirect.status()).isEqualTo(302);
        return redirect.location();
    }

    Page link(String user, String actorId) throws Exception {
        Login login = login(user);
        return get(consent(login, actorId), login.cookie());
    }

    Page get(String url, String cookie) throws IOException {
        Request.Builder request = new Request.Builder().url(url).header("Connection", "close");
        if (cookie != null) {
            request.header("Cookie", "cutover_login=" + cookie);
        }
        try (Response response = browser.newCall(request.build()).execute()) {
            String setCookie = response.headers("Set-Cookie").stream().filter(c -> c.startsWith("cutover_login="))
                    .map(c -> c.substring("cutover_login=".length(), c.indexOf(';') > 0 ? c.indexOf(';') : c.length()))
                    .findFirst().orElse(null);
            return new Page(response.code(), response.body() == null ? "" : response.body().string(),
                    response.header("Location"), setCookie);
        }
    }

    String answer(String user, String text) throws Exception {
        String name = "answer-" + names.incrementAndGet();
        if (SlackRequests.isWrite(text)) {
            // A typed write asks first: carried through its confirm step, as the person would.
            return Cards.text(requests.write(slack, user, CHANNEL, text, slack.responseUrl(name)));
        }
        RunningCutover.HttpResult ack = requests.command(user, CHANNEL, text, slack.responseUrl(name));
        assertThat(ack.status()).isEqualTo(200);
        return Answers.firstText(slack, name);
    }

    /** The URL of the first link button in an answer's blocks. */
    static String buttonUrl(JsonNode answer) {
        for (JsonNode url : answer.findValues("url")) {
            if (url.isTextual()) {
                return url.asText();
            }
        }
        throw new AssertionError("no link button in " + answer);
    }

    static String enc(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
