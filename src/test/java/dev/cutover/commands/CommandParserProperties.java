package dev.cutover.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.commands.ParsedCommand.Usage;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CommandParserProperties {
    @Property(tries = 200)
    void anyText_yieldsACommandWithoutThrowing(@ForAll("commandTexts") String text) {
        ParsedCommand command = CommandParser.parse(text, "acme");

        assertThat(command).isNotNull();
        if (command instanceof Usage usage) {
            assertThat(usage.message()).isNotBlank().doesNotContain("<!channel>", "<@U");
        }
    }

    @Property(tries = 200)
    void anyText_withNullOrganization_yieldsACommand(@ForAll("commandTexts") String text) {
        assertThat(CommandParser.parse(text, null)).isNotNull();
    }

    /** Free text (any chars, surrogates included) and text built from the grammar's own words, so deep paths run. */
    @Provide
    Arbitrary<String> commandTexts() {
        Arbitrary<String> words = Arbitraries.oneOf(
                Arbitraries.of("dr", "deploy-request", "list", "show", "queue", "approve", "comment", "deploy", "apply",
                        "cancel", "close", "revert", "skip-revert", "unblock", "subscribe", "unsubscribe", "subscriptions",
                        "help", "--state", "--state=all", "open", "closed", "--instant", "—instant", "--", "#", "#7", "7",
                        "0", "shop", "shop#7", "shop#", "#0", "99999999999", "deploys", "branch.ready", "a.b", ",",
                        "https://app.planetscale.com/acme/shop/deploy-requests/7",
                        "<https://app.planetscale.com/other/shop/deploy-requests/7|x>", "<https://", "<!channel>",
                        "😀", "\u00A0", "\uD800", "ǅ", "İ"),
                Arbitraries.strings().all().ofMaxLength(12));
        Arbitrary<String> grammar = words.list().ofMaxSize(6).map(list -> String.join(" ", list));
        return Arbitraries.oneOf(grammar, Arbitraries.strings().all().ofMaxLength(200), Arbitraries.just(null));
    }
}
