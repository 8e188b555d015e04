package dev.cutover.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.deploy.Actor;
import dev.cutover.deploy.DeployOperation;
import dev.cutover.deploy.DeployRequest;
import dev.cutover.deploy.DeploymentState;
import dev.cutover.deploy.LintError;
import dev.cutover.deploy.RequestState;
import dev.cutover.render.DeployRequestCard.Card;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DeployRequestCardProperties {
    private static final List<String> HOSTILE = List.of("<!channel>", "<@U123>", "<https://evil|x>", "<!here>");

    @Property(tries = 200)
    void card_staysWithinLimits_andLinksToTheRequest(@ForAll("deployRequests") DeployRequest deployRequest,
            @ForAll boolean approvalRequired, @ForAll boolean withButtons,
            @ForAll("texts") List<String> history) {
        Card card = DeployRequestCard.render(deployRequest, new CardContext(approvalRequired, history, withButtons));

        BlockKit.assertWithinLimits(card, 300);
        assertThat(BlockKit.buttons(card)).anySatisfy(button ->
                assertThat(button.get("url").getAsString()).isEqualTo(deployRequest.htmlUrl()));
    }

    @Property(tries = 200)
    void card_neverLetsPlanetScaleTextRenderAsMarkup(@ForAll("deployRequests") DeployRequest deployRequest) {
        Card card = DeployRequestCard.render(deployRequest, CardContext.of(false));

        for (String text : BlockKit.strings(card)) {
            for (String hostile : HOSTILE) {
                assertThat(text).doesNotContain(hostile);
            }
        }
    }

    @Property(tries = 50)
    void list_staysWithinLimits(@ForAll("deployRequestLists") List<DeployRequest> requests, @ForAll("text") String title) {
        Card card = DeployRequestCard.list(requests, title, CardContext.of(false));

        BlockKit.assertWithinLimits(card, 3000);
    }

    @Provide
    Arbitrary<List<DeployRequest>> deployRequestLists() {
        return deployRequests(3).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<String>> texts() {
        return text().list().ofMaxSize(12);
    }

    /** Odd text: hostile markup, emoji and lone surrogates, empty strings and huge ones. */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of(HOSTILE),
                Arbitraries.of("", " ", "😀", "\uD83D", "```", "a&b", "`"),
                Arbitraries.of(HOSTILE).list().ofMaxSize(3).map(l -> String.join("😀```", l)).map(s -> s.repeat(400)),
                Arbitraries.strings().withChars("<>&`😀é\n ").ofMinLength(3000).ofMaxLength(8000));
    }

    @Provide
    Arbitrary<DeployRequest> deployRequests() {
        return deployRequests(300);
    }

    /** @param maxItems how many operations and lint errors at most */
    private Arbitrary<DeployRequest> deployRequests(int maxItems) {
        Arbitrary<String> text = text();
        // Hundreds of operations and lint errors: short odd text keeps generation fast; the first few get huge DDL.
        Arbitrary<String> shortText = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20), Arbitraries.of(HOSTILE));
        Arbitrary<DeployOperation> operation = Arbitraries.integers().between(0, 4).flatMap(i -> shortText.list().ofSize(5)
                .flatMap(t -> Arbitraries.doubles().between(0, 100).injectNull(0.3).map(progress ->
                        new DeployOperation(t.get(0), t.get(1), t.get(2), t.get(3), "pending", progress, null, i % 2 == 0,
                                t.get(4)))));
        Arbitrary<LintError> lintError = shortText.list().ofSize(3)
                .map(t -> new LintError(t.get(0), "ks", t.get(1), t.get(2), null));
        return Builders.withBuilder(SampleDeployRequests::new)
                .use(Arbitraries.integers().between(1, Integer.MAX_VALUE)).in((b, n) -> { b.number = n; return b; })
                .use(Arbitraries.of("shop", "a", "x".repeat(64), "db_1.prod-2")).in((b, db) -> { b.database = db; return b; })
                .use(text).in((b, t) -> { b.branch = t; return b; })
                .use(text).in((b, t) -> { b.intoBranch = t; return b; })
                .use(text).in((b, t) -> { b.notes = t; return b; })
                .use(text).in((b, t) -> { b.author = new Actor("id", t); return b; })
                .use(text).in((b, t) -> { b.deployCheckErrors = t; return b; })
                .use(text).in((b, t) -> { b.queuePauseReason = t; return b; })
                .use(Arbitraries.of(DeploymentState.class)).in((b, s) -> { b.deploymentState = s; return b; })
                .use(Arbitraries.of(RequestState.class)).in((b, s) -> { b.state = s; return b; })
                .use(Arbitraries.integers().between(0, 15)).in((b, flags) -> {
                    b.approved = (flags & 1) != 0;
                    b.deployable = (flags & 2) != 0;
                    b.instantEligible = (flags & 4) != 0;
                    b.queuePaused = (flags & 8) != 0;
                    b.cutoverExpiring = (flags & 8) == 0;
                    return b;
                })
                .use(Arbitraries.integers().between(0, 9).map(i -> i > 0))
                .in((b, present) -> { b.deploymentPresent = present; return b; })
                .use(operation.list().ofMaxSize(maxItems)).in((b, ops) -> { b.operations = ops; return b; })
                .use(text.list().ofMaxSize(3)).in((b, ddl) -> {
                    List<DeployOperation> operations = new ArrayList<>(b.operations);
                    for (int i = 0; i < Math.min(ddl.size(), operations.size()); i++) {
                        DeployOperation o = operations.get(i);
                        operations.set(i, new DeployOperation(o.keyspace(), o.table(), o.operationName(), ddl.get(i),
                                o.state(), o.progressPercentage(), o.etaSeconds(), o.canDropData(), o.deployErrors()));
                    }
                    b.operations = operations;
                    return b;
                })
                .use(lintError.list().ofMaxSize(maxItems)).in((b, errors) -> { b.lintErrors = errors; return b; })
                .use(Arbitraries.of("https://app.planetscale.com/acme/shop/deploy-requests/7",
                        "https://app.planetscale.com/acme/" + "d".repeat(64) + "/deploy-requests/2147483647",
                        "https://app.planetscale.com/acme/shop/deploy-requests/7?a=1&b=%3C"))
                .in((b, url) -> { b.htmlUrl = url; return b; })
                .use(Arbitraries.longs().between(0, 4_000_000_000L).injectNull(0.3))
                .in((b, seconds) -> {
                    b.revertWindowClosesAt = seconds == null ? null : Instant.ofEpochSecond(seconds);
                    b.updatedAt = seconds == null ? null : Instant.ofEpochSecond(seconds);
                    return b;
                })
                .build(SampleDeployRequests::build);
    }
}
