package dev.cutover.commands;

import dev.cutover.deploy.DeployAction;
import dev.cutover.planetscale.DeployRequestFilter;
import dev.cutover.render.Messages;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a person asked for with {@code /pscale}: one record per sub-command, or {@link Usage} when the text could
 * not be read. Produced only by {@link CommandParser}.
 */
public sealed interface ParsedCommand {
    /** {@code help}, or an empty command. */
    record Help() implements ParsedCommand {}

    /** {@code list [database] [--state open|closed|all]}. */
    record ListRequests(Optional<String> database, StateFilter state) implements ParsedCommand {
        public ListRequests {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(state, "state");
        }
    }

    /** {@code show <target>}. */
    record Show(Target target) implements ParsedCommand {
        public Show {
            Objects.requireNonNull(target, "target");
        }
    }

    /** {@code queue [database]}: the deploy queue. */
    record Queue(Optional<String> database) implements ParsedCommand {
        public Queue {
            Objects.requireNonNull(database, "database");
        }
    }

    /**
     * A write: approve, comment, deploy ({@code --instant} gives {@link DeployAction#DEPLOY_INSTANT}), apply,
     * cancel, close, revert, skip-revert or unblock.
     *
     * @param text the approval comment or the comment body; "" for every other action
     */
    record Act(DeployAction action, Target target, String text) implements ParsedCommand {
        public Act {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(target, "target");
            text = text == null ? "" : text;
        }
    }

    /**
     * {@code subscribe [database] [deploys|branches|storage|<event.name>…]}.
     *
     * @param filters lower-case keywords and event names; {@code deploys} when none were given
     */
    record Subscribe(Optional<String> database, Set<String> filters) implements ParsedCommand {
        public Subscribe {
            Objects.requireNonNull(database, "database");
            filters = Set.copyOf(filters);
        }
    }

    /** {@code unsubscribe [database]}. */
    record Unsubscribe(Optional<String> database) implements ParsedCommand {
        public Unsubscribe {
            Objects.requireNonNull(database, "database");
        }
    }

    /** {@code subscriptions}: what this channel is subscribed to. */
    record Subscriptions() implements ParsedCommand {}

    /** {@code doctor}: check the whole installation (an admin action). */
    record Doctor() implements ParsedCommand {}

    /** {@code webhooks setup <database>}: create PlanetScale's webhook pointing at Cutover (an admin action). */
    record WebhooksSetup(String database) implements ParsedCommand {
        public WebhooksSetup {
            Objects.requireNonNull(database, "database");
        }
    }

    /** {@code login}: a private link to link the person's PlanetScale account. */
    record Login() implements ParsedCommand {}

    /** {@code whoami}: which PlanetScale account the person acts as. */
    record Whoami() implements ParsedCommand {}

    /** {@code logout}: revoke and forget the person's PlanetScale link. */
    record Logout() implements ParsedCommand {}

    /**
     * {@code audit <database>[#n] [--before <id>]}: the audit record, newest first.
     *
     * @param beforeId only entries older than this id ({@link Long#MAX_VALUE}: the newest)
     */
    record Audit(String database, Optional<Integer> number, long beforeId) implements ParsedCommand {
        public Audit {
            Objects.requireNonNull(database, "database");
            Objects.requireNonNull(number, "number");
        }
    }

    /**
     * The text could not be read. {@code message} is mrkdwn, already escaped, saying what was wrong; show it with
     * {@link Messages#usage(String)} of {@code subcommand}.
     */
    record Usage(String subcommand, String message) implements ParsedCommand {
        public Usage {
            subcommand = subcommand == null ? "" : subcommand;
            message = message == null ? "" : message;
        }
    }

    /**
     * A deploy request as typed: the database may be omitted ({@code #7}), to be resolved from the channel's single
     * subscription.
     */
    record Target(Optional<String> database, int number) {
        public Target {
            Objects.requireNonNull(database, "database");
            if (number <= 0) {
                throw new IllegalArgumentException("deploy request numbers start at 1, got " + number);
            }
        }
    }

    /** Which deploy requests {@code list} shows. */
    enum StateFilter {
        OPEN(DeployRequestFilter.OPEN),
        CLOSED(DeployRequestFilter.CLOSED),
        ALL(DeployRequestFilter.ALL);

        private final DeployRequestFilter filter;

        StateFilter(DeployRequestFilter filter) {
            this.filter = filter;
        }

        /** The PlanetScale query filter for this choice. */
        public DeployRequestFilter filter() {
            return filter;
        }
    }
}
