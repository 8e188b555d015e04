package dev.cutover.commands;

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
import dev.cutover.deploy.DeployRef;
import dev.cutover.render.Messages;
import dev.cutover.render.Mrkdwn;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text of {@code /pscale} into a {@link ParsedCommand}. Pure and total: any string, including null,
 * yields a command or a {@link Usage} that says what was wrong; it never throws.
 */
public final class CommandParser {
    /** Filter keywords of {@code subscribe}; anything else must be a PlanetScale event name. */
    public static final Set<String> FILTER_KEYWORDS = Set.of("deploys", "branches", "storage");
    /** What {@code subscribe} without filters subscribes to. */
    public static final String DEFAULT_FILTER = "deploys";

    private static final Set<String> PREFIXES = Set.of("dr", "deploy-request", "deploy-requests");
    /** Event families of PlanetScale webhooks (planetscale-api.md §7.5), to tell an event name from a database. */
    private static final Set<String> EVENT_FAMILIES =
            Set.of("deploy_request", "branch", "cluster", "keyspace", "database", "webhook");
    private static final Pattern EVENT_NAME = Pattern.compile("([a-z][a-z_]*)\\.[a-z][a-z_]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    /** Slack wraps links as {@code <url>} or {@code <url|label>} when it formats command text. */
    private static final Pattern SLACK_LINK = Pattern.compile("<(https?://[^|>\\s]+)(?:\\|[^>]*)?>");
    private static final Pattern DEPLOY_REQUEST_URL = Pattern.compile(
            "https?://app\\.planetscale\\.com/([^/?#]+)/([^/?#]+)/deploy-requests/([^/?#]+)(?:[/?#].*)?",
            Pattern.CASE_INSENSITIVE);
    private static final int MAX_DIGITS = 9;

    private CommandParser() {}

    /**
     * @param text the command text after {@code /pscale}; Slack sends none (null) for a bare {@code /pscale}
     * @param org the organization this bot serves, to reject links to another one; null accepts any
     */
    public static ParsedCommand parse(String text, String org) {
        try {
            return new Reading(text, org).command();
        } catch (RuntimeException unexpected) {
            // Defence in depth: the property tests say this never happens, but a parser bug must not become a
            // stack trace in Slack.
            return new Usage("help", "Sorry, I could not read that command.");
        }
    }

    /** Every sub-command by its name in help, for suggestions when a verb is mistyped. */
    static final List<String> VERBS = List.of("list", "show", "queue", "approve", "comment", "deploy", "apply",
            "cancel", "close", "revert", "skip-revert", "unblock", "subscribe", "unsubscribe", "subscriptions", "webhooks",
            "doctor", "login", "whoami", "logout", "audit", "help");

    /** A word of the command and where it starts in the text, so free text keeps its spacing. */
    private record Token(String text, int start) {
        String lower() {
            return text.toLowerCase(Locale.ROOT);
        }

        boolean isFlag() {
            return text.startsWith("--");
        }
    }

    private sealed interface TargetRead {}

    private record Found(Target target, int next) implements TargetRead {}

    private record Failed(Usage usage) implements TargetRead {}

    /** One parse: the normalised text, its tokens and the organization. */
    private static final class Reading {
        private final String text;
        private final String org;
        private final List<Token> tokens;

        Reading(String raw, String org) {
            this.text = raw == null ? "" : SLACK_LINK.matcher(raw).replaceAll(match -> Matcher.quoteReplacement(match.group(1)));
            this.org = org;
            this.tokens = tokenize(this.text);
        }

        ParsedCommand command() {
            int index = 0;
            if (!tokens.isEmpty() && PREFIXES.contains(tokens.get(0).lower())) {
                index++;
            }
            if (index >= tokens.size()) {
                return new Help();
            }
            String verb = tokens.get(index).lower();
            List<Token> args = tokens.subList(index + 1, tokens.size());
            return switch (verb) {
                case "help", "-h", "--help", "?" -> new Help();
                case "list", "ls" -> list(args);
                case "show" -> show(args);
                case "queue" -> optionalDatabase(args).map(db -> (ParsedCommand) new Queue(db))
                        .orElseGet(() -> usageOfOptionalDatabase("queue", args));
                case "approve" -> withText("approve", DeployAction.APPROVE, args, false);
                case "comment" -> withText("comment", DeployAction.COMMENT, args, true);
                case "deploy" -> deploy(args);
                case "apply" -> targetOnly("apply", DeployAction.APPLY, args);
                case "cancel" -> targetOnly("cancel", DeployAction.CANCEL, args);
                case "close" -> targetOnly("close", DeployAction.CLOSE, args);
                case "revert" -> targetOnly("revert", DeployAction.REVERT, args);
                case "skip-revert", "skip_revert" -> targetOnly("skip-revert", DeployAction.SKIP_REVERT, args);
                case "unblock" -> targetOnly("unblock", DeployAction.UNBLOCK, args);
                case "subscribe" -> subscribe(args);
                case "unsubscribe" -> optionalDatabase(args).map(db -> (ParsedCommand) new Unsubscribe(db))
                        .orElseGet(() -> usageOfOptionalDatabase("unsubscribe", args));
                case "subscriptions" -> args.isEmpty() ? new Subscriptions() : unexpected("subscriptions", args.get(0));
                case "webhooks", "webhook" -> webhooks(args);
                case "doctor" -> args.isEmpty() ? new ParsedCommand.Doctor() : unexpected("doctor", args.get(0));
                case "login" -> args.isEmpty() ? new ParsedCommand.Login() : unexpected("login", args.get(0));
                case "whoami" -> args.isEmpty() ? new ParsedCommand.Whoami() : unexpected("whoami", args.get(0));
                case "logout" -> args.isEmpty() ? new ParsedCommand.Logout() : unexpected("logout", args.get(0));
                case "audit" -> audit(args);
                default -> {
                    Optional<String> meant = Spelling.nearest(verb, VERBS);
                    yield new Usage(meant.orElse("help"), Messages.unknownCommand(quoted(tokens.get(index).text()),
                            meant));
                }
            };
        }

        /** {@code audit <database>[#n] [--before <id>]}: a database, or one deploy request of it. */
        private ParsedCommand audit(List<Token> args) {
            long before = Long.MAX_VALUE;
            List<Token> rest = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                Token arg = args.get(i);
                if (arg.lower().equals("--before") && i + 1 < args.size()
                        && DIGITS.matcher(args.get(i + 1).text()).matches()
                        && args.get(i + 1).text().length() <= 18) {
                    before = Long.parseLong(args.get(++i).text());
                } else if (arg.isFlag()) {
                    return new Usage("audit", Messages.usage("audit"));
                } else {
                    rest.add(arg);
                }
            }
            if (rest.size() == 1 && DeployRef.isValidName(rest.get(0).text())) {
                return new ParsedCommand.Audit(rest.get(0).text(), Optional.empty(), before);
            }
            TargetRead read = target("audit", rest, 0);
            if (read instanceof Failed failed) {
                return failed.usage();
            }
            Found found = (Found) read;
            if (found.next() < rest.size()) {
                return unexpected("audit", rest.get(found.next()));
            }
            if (found.target().database().isEmpty()) {
                return new Usage("audit", Messages.usage("audit"));
            }
            return new ParsedCommand.Audit(found.target().database().get(), Optional.of(found.target().number()),
                    before);
        }

        private ParsedCommand webhooks(List<Token> args) {
            if (args.size() != 2 || !args.get(0).lower().equals("setup")) {
                return new Usage("webhooks", Messages.usage("webhooks"));
            }
            String database = args.get(1).text();
            if (!DeployRef.isValidName(database)) {
                return badDatabase("webhooks", database);
            }
            return new ParsedCommand.WebhooksSetup(database);
        }

        private ParsedCommand list(List<Token> args) {
            Optional<String> database = Optional.empty();
            StateFilter state = StateFilter.OPEN;
            for (int i = 0; i < args.size(); i++) {
                Token arg = args.get(i);
                if (arg.isFlag()) {
                    String flag = arg.lower();
                    String value;
                    if (flag.startsWith("--state=")) {
                        value = flag.substring("--state=".length());
                    } else if (flag.equals("--state")) {
                        if (i + 1 >= args.size()) {
                            return new Usage("list", "`--state` needs a value: `open`, `closed` or `all`.");
                        }
                        value = args.get(++i).lower();
                    } else {
                        return unknownFlag("list", arg);
                    }
                    Optional<StateFilter> parsed = stateFilter(value);
                    if (parsed.isEmpty()) {
                        return new Usage("list", quoted(value) + " is not a state: use `open`, `closed` or `all`.");
                    }
                    state = parsed.get();
                } else if (database.isEmpty()) {
                    if (!DeployRef.isValidName(arg.text())) {
                        return badDatabase("list", arg.text());
                    }
                    database = Optional.of(arg.text());
                } else {
                    return unexpected("list", arg);
                }
            }
            return new ListRequests(database, state);
        }

        private ParsedCommand show(List<Token> args) {
            for (Token arg : args) {
                if (arg.isFlag()) {
                    return unknownFlag("show", arg);
                }
            }
            TargetRead read = target("show", args, 0);
            if (read instanceof Failed failed) {
                return failed.usage();
            }
            Found found = (Found) read;
            if (found.next() < args.size()) {
                return unexpected("show", args.get(found.next()));
            }
            return new Show(found.target());
        }

        private ParsedCommand targetOnly(String verb, DeployAction action, List<Token> args) {
            for (Token arg : args) {
                if (arg.isFlag()) {
                    return unknownFlag(verb, arg);
                }
            }
            TargetRead read = target(verb, args, 0);
            if (read instanceof Failed failed) {
                return failed.usage();
            }
            Found found = (Found) read;
            if (found.next() < args.size()) {
                return unexpected(verb, args.get(found.next()));
            }
            return new Act(action, found.target(), "");
        }

        private ParsedCommand deploy(List<Token> args) {
            boolean instant = false;
            List<Token> rest = new ArrayList<>();
            for (Token arg : args) {
                if (arg.isFlag()) {
                    if (!arg.lower().equals("--instant")) {
                        return unknownFlag("deploy", arg);
                    }
                    instant = true;
                } else {
                    rest.add(arg);
                }
            }
            TargetRead read = target("deploy", rest, 0);
            if (read instanceof Failed failed) {
                return failed.usage();
            }
            Found found = (Found) read;
            if (found.next() < rest.size()) {
                return unexpected("deploy", rest.get(found.next()));
            }
            return new Act(instant ? DeployAction.DEPLOY_INSTANT : DeployAction.DEPLOY, found.target(), "");
        }

        /** approve and comment: a target, then free text kept as typed. */
        private ParsedCommand withText(String verb, DeployAction action, List<Token> args, boolean textRequired) {
            TargetRead read = target(verb, args, 0);
            if (read instanceof Failed failed) {
                return failed.usage();
            }
            Found found = (Found) read;
            String body = found.next() < args.size() ? text.substring(args.get(found.next()).start()).strip() : "";
            if (textRequired && body.isEmpty()) {
                return new Usage(verb, "What should the comment say? e.g. `/pscale comment shop#7 Looks good`.");
            }
            return new Act(action, found.target(), body);
        }

        private ParsedCommand subscribe(List<Token> args) {
            List<String> words = new ArrayList<>();
            for (Token arg : args) {
                if (arg.isFlag()) {
                    return unknownFlag("subscribe", arg);
                }
                for (String word : arg.text().split(",")) {
                    if (!word.isEmpty()) {
                        words.add(word);
                    }
                }
            }
            Optional<String> database = Optional.empty();
            int first = 0;
            if (!words.isEmpty() && !isFilter(words.get(0).toLowerCase(Locale.ROOT), true)) {
                if (!DeployRef.isValidName(words.get(0))) {
                    return badDatabase("subscribe", words.get(0));
                }
                database = Optional.of(words.get(0));
                first = 1;
            }
            Set<String> filters = new LinkedHashSet<>();
            for (String word : words.subList(first, words.size())) {
                String filter = word.toLowerCase(Locale.ROOT);
                if (!isFilter(filter, false)) {
                    return new Usage("subscribe", quoted(word) + " is not something to subscribe to: use `deploys`, "
                            + "`branches`, `storage` or an event name such as `deploy_request.opened`.");
                }
                filters.add(filter);
            }
            if (filters.isEmpty()) {
                filters.add(DEFAULT_FILTER);
            }
            return new Subscribe(database, filters);
        }

        /** Empty when the arguments are not zero or one valid database name. */
        private Optional<Optional<String>> optionalDatabase(List<Token> args) {
            if (args.isEmpty()) {
                return Optional.of(Optional.empty());
            }
            if (args.size() == 1 && !args.get(0).isFlag() && DeployRef.isValidName(args.get(0).text())) {
                return Optional.of(Optional.of(args.get(0).text()));
            }
            return Optional.empty();
        }

        private Usage usageOfOptionalDatabase(String verb, List<Token> args) {
            Token first = args.get(0);
            if (first.isFlag()) {
                return unknownFlag(verb, first);
            }
            if (!DeployRef.isValidName(first.text())) {
                return badDatabase(verb, first.text());
            }
            return unexpected(verb, args.get(1));
        }

        /**
         * Reads a target at {@code args[from]}: {@code <database> <number>}, {@code <database>#<number>},
         * {@code #<number>}, {@code <number>} or a PlanetScale deploy request URL.
         */
        private TargetRead target(String verb, List<Token> args, int from) {
            if (from >= args.size()) {
                return new Failed(new Usage(verb, "Which deploy request? e.g. `/pscale " + verb + " shop#7`."));
            }
            String first = args.get(from).text();
            Matcher url = DEPLOY_REQUEST_URL.matcher(first);
            if (url.matches()) {
                return fromUrl(verb, url, from);
            }
            if (first.regionMatches(true, 0, "http://", 0, 7) || first.regionMatches(true, 0, "https://", 0, 8)) {
                return new Failed(new Usage(verb, "That link is not a PlanetScale deploy request link "
                        + "(`https://app.planetscale.com/<org>/<database>/deploy-requests/<number>`)."
                                .replace("<", "&lt;").replace(">", "&gt;")));
            }
            int hash = first.indexOf('#');
            if (hash >= 0) {
                String database = first.substring(0, hash);
                if (!database.isEmpty() && !DeployRef.isValidName(database)) {
                    return new Failed(badDatabase(verb, database));
                }
                return number(first.substring(hash + 1))
                        .<TargetRead>map(n -> new Found(new Target(optional(database), n), from + 1))
                        .orElseGet(() -> new Failed(badNumber(verb, first.substring(hash + 1))));
            }
            if (DIGITS.matcher(first).matches()) {
                return number(first)
                        .<TargetRead>map(n -> new Found(new Target(Optional.empty(), n), from + 1))
                        .orElseGet(() -> new Failed(badNumber(verb, first)));
            }
            if (!DeployRef.isValidName(first)) {
                return new Failed(badDatabase(verb, first));
            }
            if (from + 1 >= args.size()) {
                return new Failed(new Usage(verb, "Which deploy request of " + quoted(first) + "? Add its number, e.g. `/pscale "
                        + verb + " " + Mrkdwn.escape(first) + " 7`."));
            }
            String second = args.get(from + 1).text();
            String digits = second.startsWith("#") ? second.substring(1) : second;
            return number(digits)
                    .<TargetRead>map(n -> new Found(new Target(Optional.of(first), n), from + 2))
                    .orElseGet(() -> new Failed(badNumber(verb, second)));
        }

        private TargetRead fromUrl(String verb, Matcher url, int from) {
            String urlOrg = url.group(1);
            String database = url.group(2);
            if (org != null && !org.isBlank() && !org.equalsIgnoreCase(urlOrg)) {
                return new Failed(new Usage(verb, "That link is for the organization " + quoted(urlOrg)
                        + "; this bot serves " + quoted(org) + "."));
            }
            if (!DeployRef.isValidName(database)) {
                return new Failed(badDatabase(verb, database));
            }
            return number(url.group(3))
                    .<TargetRead>map(n -> new Found(new Target(Optional.of(database), n), from + 1))
                    .orElseGet(() -> new Failed(badNumber(verb, url.group(3))));
        }
    }

    private static Optional<Integer> number(String digits) {
        if (!DIGITS.matcher(digits).matches() || digits.length() > MAX_DIGITS) {
            return Optional.empty();
        }
        int number = Integer.parseInt(digits);
        return number > 0 ? Optional.of(number) : Optional.empty();
    }

    private static boolean isFilter(String word, boolean onlyKnownFamilies) {
        if (FILTER_KEYWORDS.contains(word)) {
            return true;
        }
        Matcher event = EVENT_NAME.matcher(word);
        // A database may be called "a.b" too; in first position only PlanetScale's event families count as events.
        return event.matches() && (!onlyKnownFamilies || EVENT_FAMILIES.contains(event.group(1)));
    }

    private static Optional<StateFilter> stateFilter(String value) {
        return switch (value) {
            case "open" -> Optional.of(StateFilter.OPEN);
            case "closed" -> Optional.of(StateFilter.CLOSED);
            case "all" -> Optional.of(StateFilter.ALL);
            default -> Optional.empty();
        };
    }

    private static Optional<String> optional(String database) {
        return database.isEmpty() ? Optional.empty() : Optional.of(database);
    }

    private static Usage badNumber(String verb, String text) {
        return new Usage(verb, quoted(text) + " is not a deploy request number (a whole number from 1 up).");
    }

    private static Usage badDatabase(String verb, String text) {
        return new Usage(verb, quoted(text) + " is not a valid database name.");
    }

    private static Usage unknownFlag(String verb, Token flag) {
        return new Usage(verb, "Unknown option " + quoted(flag.text()) + ".");
    }

    private static Usage unexpected(String verb, Token extra) {
        return new Usage(verb, "I did not expect " + quoted(extra.text()) + " there.");
    }

    /** User text shown back as inline code: escaped, short, and unable to end the code span. */
    private static String quoted(String userText) {
        return "`" + Mrkdwn.escape(userText.replace('`', 'ˋ'), 60) + "`";
    }

    /**
     * Splits on any Unicode space (Slack clients send no-break spaces) and reads the dashes that autocorrect puts
     * in place of {@code --} as flags.
     */
    private static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            if (isSpace(codePoint)) {
                i += Character.charCount(codePoint);
                continue;
            }
            int start = i;
            while (i < text.length() && !isSpace(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            String word = text.substring(start, i);
            if (word.startsWith("—") || word.startsWith("–")) {
                word = "--" + word.substring(1);
            }
            tokens.add(new Token(word, start));
        }
        return tokens;
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
