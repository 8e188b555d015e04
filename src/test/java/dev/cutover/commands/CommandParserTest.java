package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.commands.ParsedCommand.Act;
import dev.cutover.commands.ParsedCommand.Help;
import dev.cutover.commands.ParsedCommand.ListRequests;
import dev.cutover.commands.ParsedCommand.Queue;
import dev.cutover.commands.ParsedCommand.Show;
import dev.cutover.commands.ParsedCommand.StateFilter;
import dev.cutover.commands.ParsedCommand.Subscribe;
import dev.cutover.commands.ParsedCommand.Subscriptions;
import dev.cutover.commands.ParsedCommand.Target;
import dev.cutover.commands.ParsedCommand.Unsubscribe;
import dev.cutover.commands.ParsedCommand.Usage;
import dev.cutover.deploy.DeployAction;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandParserTest {
    private static final Target SHOP_7 = new Target(Optional.of("shop"), 7);

    private static ParsedCommand parse(String text) {
        return CommandParser.parse(text, "acme");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "help", "HELP", "dr", "deploy-request", "dr help", "\u00A0help\u00A0"})
    void emptyOrHelp_isHelp(String text) {
        assertThat(parse(text)).isEqualTo(new Help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"show shop 7", "show shop#7", "show shop #7", "SHOW   shop\t7", "dr show shop 7",
            "deploy-request show shop#7", "Deploy-Request Show shop 7",
            "show https://app.planetscale.com/acme/shop/deploy-requests/7",
            "show <https://app.planetscale.com/acme/shop/deploy-requests/7>",
            "show <https://app.planetscale.com/acme/shop/deploy-requests/7|shop #7 on PlanetScale>",
            "show https://app.planetscale.com/acme/shop/deploy-requests/7/diff"})
    void show_acceptsEveryTargetForm(String text) {
        assertThat(parse(text)).isEqualTo(new Show(SHOP_7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"show #7", "show 7"})
    void show_withoutDatabase_leavesItToTheChannel(String text) {
        assertThat(parse(text)).isEqualTo(new Show(new Target(Optional.empty(), 7)));
    }

    @Test
    void urlOfAnotherOrganization_isAUsageErrorNamingOurOrganization() {
        ParsedCommand command = parse("show https://app.planetscale.com/other/shop/deploy-requests/7");

        assertThat(command).isInstanceOf(Usage.class);
        assertThat(((Usage) command).message()).contains("`other`").contains("`acme`");
    }

    @Test
    void urlOfAnotherSite_isAUsageError() {
        assertThat(parse("show https://evil.example/acme/shop/deploy-requests/7")).isInstanceOf(Usage.class);
    }

    @Test
    void list_withoutArguments_listsOpenRequestsEverywhere() {
        assertThat(parse("list")).isEqualTo(new ListRequests(Optional.empty(), StateFilter.OPEN));
    }

    @ParameterizedTest
    @CsvSource({"list shop --state closed, CLOSED", "list --state=all shop, ALL", "dr list shop --STATE open, OPEN"})
    void list_readsDatabaseAndStateInAnyOrder(String text, StateFilter state) {
        assertThat(parse(text)).isEqualTo(new ListRequests(Optional.of("shop"), state));
    }

    @Test
    void list_withUnknownState_isUsage() {
        assertThat(parse("list --state merged")).isEqualTo(new Usage("list", "`merged` is not a state: use `open`, `closed` or `all`."));
    }

    @Test
    void list_withStateFlagWithoutValue_isUsage() {
        assertThat(parse("list --state")).isInstanceOf(Usage.class);
    }

    @Test
    void queue_withAndWithoutDatabase() {
        assertThat(parse("queue")).isEqualTo(new Queue(Optional.empty()));
        assertThat(parse("queue shop")).isEqualTo(new Queue(Optional.of("shop")));
    }

    @Test
    void approve_keepsTheCommentAsTyped() {
        assertThat(parse("approve shop 7 ship  it <3")).isEqualTo(new Act(DeployAction.APPROVE, SHOP_7, "ship  it <3"));
    }

    @Test
    void approve_withoutComment_hasEmptyText() {
        assertThat(parse("approve shop#7")).isEqualTo(new Act(DeployAction.APPROVE, SHOP_7, ""));
    }

    @Test
    void approve_byNumberOnly_readsTheRestAsComment() {
        assertThat(parse("approve 7 8 looks fine")).isEqualTo(new Act(DeployAction.APPROVE, new Target(Optional.empty(), 7), "8 looks fine"));
    }

    @Test
    void comment_needsText() {
        assertThat(parse("comment shop#7")).isInstanceOf(Usage.class);
        assertThat(parse("comment shop#7 please add\nan index"))
                .isEqualTo(new Act(DeployAction.COMMENT, SHOP_7, "please add\nan index"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy shop#7 --instant", "deploy --instant shop 7", "deploy shop --instant 7",
            "deploy shop#7 —instant", "DEPLOY shop#7 --INSTANT"})
    void deploy_withInstantFlagAnywhere_isDeployInstant(String text) {
        assertThat(parse(text)).isEqualTo(new Act(DeployAction.DEPLOY_INSTANT, SHOP_7, ""));
    }

    @Test
    void deploy_withoutFlag_isDeploy() {
        assertThat(parse("deploy shop#7")).isEqualTo(new Act(DeployAction.DEPLOY, SHOP_7, ""));
    }

    @ParameterizedTest
    @CsvSource({"apply, APPLY", "cancel, CANCEL", "close, CLOSE", "revert, REVERT", "skip-revert, SKIP_REVERT",
            "skip_revert, SKIP_REVERT", "unblock, UNBLOCK"})
    void targetOnlyVerbs_mapToTheirAction(String verb, DeployAction action) {
        assertThat(parse(verb + " shop#7")).isEqualTo(new Act(action, SHOP_7, ""));
    }

    @Test
    void subscribe_defaultsToDeploys() {
        assertThat(parse("subscribe shop")).isEqualTo(new Subscribe(Optional.of("shop"), Set.of("deploys")));
        assertThat(parse("subscribe")).isEqualTo(new Subscribe(Optional.empty(), Set.of("deploys")));
    }

    @Test
    void subscribe_readsKeywordsAndEventNames() {
        assertThat(parse("subscribe shop branches Deploy_Request.Opened,storage"))
                .isEqualTo(new Subscribe(Optional.of("shop"), Set.of("branches", "deploy_request.opened", "storage")));
    }

    @Test
    void subscribe_withFiltersOnly_hasNoDatabase() {
        assertThat(parse("subscribe deploys branch.ready"))
                .isEqualTo(new Subscribe(Optional.empty(), Set.of("deploys", "branch.ready")));
    }

    @Test
    void subscribe_withUnknownFilter_isUsage() {
        assertThat(parse("subscribe shop everything")).isInstanceOf(Usage.class);
    }

    @Test
    void unsubscribeAndSubscriptions() {
        assertThat(parse("unsubscribe")).isEqualTo(new Unsubscribe(Optional.empty()));
        assertThat(parse("unsubscribe shop")).isEqualTo(new Unsubscribe(Optional.of("shop")));
        assertThat(parse("subscriptions")).isEqualTo(new Subscriptions());
    }

    @Test
    void unknownVerb_isUsagePointingToHelp() {
        ParsedCommand command = parse("frobnicate <!channel>");

        assertThat(command).isEqualTo(new Usage("help", "I don't know the command `frobnicate`."));
    }

    @Test
    void unknownVerb_isEscapedInTheMessage() {
        Usage usage = (Usage) parse("<!channel>");

        assertThat(usage.message()).contains("&lt;!channel&gt;").doesNotContain("<!channel>");
    }

    @ParameterizedTest
    @CsvSource({"show shop, show", "deploy, deploy", "apply shop, apply"})
    void missingNumber_isUsageOfThatSubcommand(String text, String subcommand) {
        assertThat(parse(text)).isInstanceOf(Usage.class).extracting("subcommand").isEqualTo(subcommand);
    }

    @ParameterizedTest
    @ValueSource(strings = {"show shop 0", "show shop#abc", "show shop 99999999999", "show shop -1", "show #",
            "show shop ٧"})
    void badNumber_isUsage(String text) {
        assertThat(parse(text)).isInstanceOf(Usage.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"show sh/op 7", "show -shop 7", "list sh$op", "queue ☃", "show <!channel>#7"})
    void badDatabaseName_isUsage(String text) {
        assertThat(parse(text)).isInstanceOf(Usage.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy shop#7 --force", "list --verbose", "show shop#7 --x", "queue --all"})
    void unknownFlag_isUsage(String text) {
        assertThat(parse(text)).isInstanceOf(Usage.class);
        assertThat(((Usage) parse(text)).message()).containsAnyOf("Unknown option", "not a valid database");
    }

    @Test
    void extraWords_afterATargetOnlyCommand_areUsage() {
        assertThat(parse("cancel shop#7 now")).isEqualTo(new Usage("cancel", "I did not expect `now` there."));
    }

    @Test
    void mistypedVerb_suggestsTheNearestAndItsUsage() {
        assertThat(CommandParser.parse("lsit shop", "acme"))
                .isEqualTo(new Usage("list", "I don't know the command `lsit`. Did you mean `/pscale list`?"));
        assertThat(CommandParser.parse("dr aprove shop#7", "acme"))
                .isEqualTo(new Usage("approve", "I don't know the command `aprove`. Did you mean `/pscale approve`?"));
        assertThat(CommandParser.parse("subscribtions", "acme")).isInstanceOf(Usage.class)
                .extracting(command -> ((Usage) command).subcommand()).isEqualTo("subscriptions");
    }
}
