package dev.cutover.commands;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import dev.cutover.audit.AuditTrail;
import dev.cutover.identity.AccountLinks;
import dev.cutover.policy.Policy;
import dev.cutover.render.Messages;
import dev.cutover.slack.SlackPoster;
import dev.cutover.store.AuditEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /pscale login}, {@code whoami}, {@code logout} and {@code audit}: all answered privately to the person who
 * typed them. Without an OAuth application ({@code links} empty) login says how to set it up.
 */
public final class IdentityCommands {
    private final Optional<AccountLinks> links;
    private final AuditTrail audit;
    private final Policy policy;
    private final Replies replies;

    public IdentityCommands(Optional<AccountLinks> links, AuditTrail audit, Policy policy, SlackPoster poster) {
        this.links = links;
        this.audit = audit;
        this.policy = policy;
        this.replies = new Replies(poster);
    }

    /** Answers the command if it is one of these; false otherwise. */
    boolean handle(ParsedCommand command, SlashCommandPayload payload) {
        String responseUrl = payload.getResponseUrl();
        String team = payload.getTeamId() == null ? "" : payload.getTeamId();
        String user = payload.getUserId();
        if (command instanceof ParsedCommand.Login) {
            if (links.isEmpty()) {
                replies.tell(responseUrl, Messages.oauthNotConfigured());
                return true;
            }
            String url = links.get().loginUrl(team, user);
            List<LayoutBlock> blocks = new ArrayList<>();
            blocks.add(section(Messages.loginLink()));
            blocks.addAll(Messages.linkButton(url));
            replies.tell(responseUrl, Messages.loginLink(), blocks);
        } else if (command instanceof ParsedCommand.Whoami) {
            Optional<AccountLinks.Link> link = links.flatMap(l -> l.whoami(team, user));
            replies.tell(responseUrl, Messages.whoami(user, link.map(AccountLinks.Link::actorName),
                    link.map(AccountLinks.Link::actorId), link.map(AccountLinks.Link::usable).orElse(false),
                    policy.requiresLinkedIdentity()));
        } else if (command instanceof ParsedCommand.Logout) {
            Optional<AccountLinks.Link> gone = links.flatMap(l -> l.logout(team, user));
            replies.tell(responseUrl, Messages.loggedOut(gone.map(AccountLinks.Link::actorName)));
        } else if (command instanceof ParsedCommand.Audit query) {
            // Reading the record reveals who did what: one page, bounded, for the person alone.
            List<AuditEntry> entries = audit.recent(query.database(), query.number(), query.beforeId(),
                    AuditTrail.PAGE + 1);
            boolean more = entries.size() > AuditTrail.PAGE;
            String what = query.database() + query.number().map(n -> "#" + n).orElse("");
            replies.tell(responseUrl, Messages.audit(what, more ? entries.subList(0, AuditTrail.PAGE) : entries,
                    more));
        } else {
            return false;
        }
        return true;
    }

    private static SectionBlock section(String text) {
        return SectionBlock.builder().text(MarkdownTextObject.builder().text(text).build()).build();
    }
}
