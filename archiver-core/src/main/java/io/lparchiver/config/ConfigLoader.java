package io.lparchiver.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.lparchiver.config.ConfigKey.Type;
import io.lparchiver.model.Channel;
import io.lparchiver.model.Mailbox;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads the YAML configuration: substitutes {@code ${ENV}} references, rejects unknown keys, parses
 * every value by its declared type and reports all problems at once, each naming the key and the
 * fix.
 */
public final class ConfigLoader {

  private static final Pattern ENV_REF =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{1,20}");
  private static final Pattern DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");
  private static final int MAX_SOURCE_NAME = 20;

  private final Function<String, String> environment;
  private final Clock clock;

  public ConfigLoader(Function<String, String> environment, Clock clock) {
    this.environment = environment;
    this.clock = clock;
  }

  public static ConfigLoader fromSystem() {
    return new ConfigLoader(System::getenv, Clock.systemUTC());
  }

  public ArchiverConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "config file "
              + file
              + " does not exist: pass --config with the path of your"
              + " lp-archiver.yaml (see docs/configuration.md)");
    } catch (IOException e) {
      throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, base == null ? Path.of("").toAbsolutePath() : base);
  }

  /** Parses config text; relative paths resolve against {@code baseDir}. */
  public ArchiverConfig parse(String yaml, Path baseDir) {
    List<String> problems = new ArrayList<>();
    String substituted = substituteEnvironment(yaml, problems);
    JsonNode root = readYaml(substituted);
    Map<String, JsonNode> leaves = new LinkedHashMap<>();
    flatten("", root, leaves, problems);
    Values values = new Values(baseDir, problems);
    for (ConfigKey key : ConfigKeys.ALL) {
      values.read(key, Optional.ofNullable(leaves.get(key.path())));
    }
    ArchiverConfig config = values.build(clock);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private String substituteEnvironment(String yaml, List<String> problems) {
    StringBuilder out = new StringBuilder();
    String[] lines = yaml.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      // YAML comments may mention ${VAR} in examples; they are not substituted.
      String content = stripComment(line);
      Matcher m = ENV_REF.matcher(content);
      StringBuilder replaced = new StringBuilder();
      while (m.find()) {
        String value = environment.apply(m.group(1));
        if (value == null) {
          value = m.group(3);
        }
        if (value == null) {
          problems.add(
              "line "
                  + (i + 1)
                  + ": environment variable "
                  + m.group(1)
                  + " is not set: export it before starting, or write ${"
                  + m.group(1)
                  + ":-default}");
          value = "";
        }
        m.appendReplacement(replaced, Matcher.quoteReplacement(quoteForYaml(value)));
      }
      m.appendTail(replaced);
      out.append(replaced).append(line.substring(content.length()));
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }

  // A substituted secret may contain YAML syntax (": ", "#", quotes); keep it a plain string.
  private static String quoteForYaml(String value) {
    if (value.matches("[A-Za-z0-9._/+=@-]*")) {
      return value;
    }
    if (value.contains("\n") || value.contains("\r")) {
      // A multi-line value (a PEM key) stays on one YAML line, its line breaks escaped.
      return "\""
          + value
              .replace("\\", "\\\\")
              .replace("\"", "\\\"")
              .replace("\r", "\\r")
              .replace("\n", "\\n")
              .replace("\t", "\\t")
          + "\"";
    }
    return "'" + value.replace("'", "''") + "'";
  }

  private static String stripComment(String line) {
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#'
          && !single
          && !dbl
          && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  private static JsonNode readYaml(String yaml) {
    try {
      JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
      if (root == null || root.isMissingNode() || root.isNull()) {
        throw new ConfigException(
            "the config file is empty: at least source.liveperson.account and the auth keys are"
                + " needed (see docs/configuration.md)");
      }
      if (!root.isObject()) {
        throw new ConfigException(
            "the config file must be a YAML mapping of keys, not a " + root.getNodeType());
      }
      return root;
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new ConfigException(
          "the config file is not valid YAML" + where + ": " + e.getOriginalMessage());
    }
  }

  private static void flatten(
      String prefix, JsonNode node, Map<String, JsonNode> out, List<String> problems) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
      boolean known = ConfigKeys.find(path).isPresent();
      boolean isSection = ConfigKeys.ALL.stream().anyMatch(k -> k.path().startsWith(path + "."));
      if (known) {
        out.put(path, field.getValue());
      } else if (isSection && field.getValue().isObject()) {
        flatten(path, field.getValue(), out, problems);
      } else if (isSection) {
        problems.add(path + ": is a section; write its keys under it (see docs/configuration.md)");
      } else {
        problems.add(path + ": unknown key" + suggestion(path) + "; remove it or fix its name");
      }
    }
  }

  private static String suggestion(String path) {
    return ConfigKeys.ALL.stream()
        .map(ConfigKey::path)
        .min(Comparator.comparingInt(known -> distance(known, path)))
        .filter(best -> distance(best, path) <= 3)
        .map(best -> " (did you mean " + best + "?)")
        .orElse("");
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }

  /** Parses duration text such as 90s, 15m, 1h, 2d or ISO-8601. */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
  }

  /** Typed values read from the file, collecting problems instead of failing on the first. */
  private static final class Values {
    private final Path baseDir;
    private final List<String> problems;
    private final Map<String, Object> typed = new LinkedHashMap<>();

    Values(Path baseDir, List<String> problems) {
      this.baseDir = baseDir;
      this.problems = problems;
    }

    void read(ConfigKey key, Optional<JsonNode> node) {
      Optional<JsonNode> value = node.filter(n -> !n.isNull());
      if (value.isEmpty() && key.defaultValue().isEmpty()) {
        if (key.required()) {
          problems.add(key.path() + ": required. " + key.doc());
        }
        return;
      }
      try {
        typed.put(key.path(), convert(key, value));
      } catch (IllegalArgumentException | java.time.DateTimeException e) {
        String shown =
            key.type() == Type.SECRET ? "(secret)" : value.map(Values::display).orElse("");
        problems.add(
            key.path()
                + ": '"
                + shown
                + "' is not a valid "
                + key.type().label()
                + allowed(key)
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
      }
    }

    private static String display(JsonNode node) {
      return node.isArray() ? String.join(", ", texts(node)) : node.asText();
    }

    private static String allowed(ConfigKey key) {
      return key.allowed().isEmpty() ? "" : " " + key.allowed();
    }

    private Object convert(ConfigKey key, Optional<JsonNode> node) {
      List<String> texts = node.map(Values::texts).orElseGet(() -> defaultTexts(key));
      String text = texts.isEmpty() ? "" : texts.get(0);
      return switch (key.type()) {
        case STRING -> requireText(text);
        case INTEGER -> positive(Integer.parseInt(text.trim()));
        case SECRET -> Secret.of(requireText(text));
        case URI -> parseUri(text);
        case INSTANT -> Instant.parse(text.trim());
        case DURATION -> parseDuration(text);
        case PATH -> baseDir.resolve(requireText(text)).normalize();
        case MAILBOX -> new Mailbox(text);
        case MAILBOX_LIST -> texts.stream().map(Mailbox::new).toList();
        case HOST_LIST -> texts.stream().map(Values::host).toList();
        case ENUM -> oneOf(key, text);
        case ENUM_LIST -> texts.stream().map(t -> oneOf(key, t)).toList();
      };
    }

    private static List<String> texts(JsonNode node) {
      if (node.isArray()) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
      }
      if (node.isContainerNode()) {
        throw new IllegalArgumentException("expected a value, found a mapping");
      }
      return List.of(node.asText());
    }

    private static List<String> defaultTexts(ConfigKey key) {
      String d = key.defaultValue().orElseThrow();
      if (d.startsWith("[")) {
        String inner = d.substring(1, d.length() - 1).trim();
        return inner.isEmpty() ? List.of() : List.of(inner.split("\\s*,\\s*"));
      }
      return List.of(d);
    }

    private static String host(String text) {
      String h = text.strip().toLowerCase(Locale.ROOT);
      if (!h.matches("[a-z0-9.:\\[\\]-]+")) {
        throw new IllegalArgumentException("'" + text + "' is not a host name or address");
      }
      return h;
    }

    private static int positive(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("must be at least 1");
      }
      return value;
    }

    private static String requireText(String text) {
      if (text.isBlank()) {
        throw new IllegalArgumentException("it is empty");
      }
      return text;
    }

    private static String oneOf(ConfigKey key, String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (!key.allowed().contains(t)) {
        throw new IllegalArgumentException("not supported");
      }
      return t;
    }

    private static URI parseUri(String text) {
      URI uri = URI.create(text.trim());
      if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException("use an absolute http(s) URL");
      }
      return uri;
    }

    @SuppressWarnings("unchecked")
    private <T> T get(String path) {
      return (T) typed.get(path);
    }

    private <T> Optional<T> opt(String path) {
      return Optional.ofNullable(get(path));
    }

    ArchiverConfig build(Clock clock) {
      validate(clock);
      Instant backfill =
          this.<Instant>opt("source.liveperson.backfillFrom")
              .orElseGet(() -> clock.instant().atZone(ZoneOffset.UTC).minusMonths(13).toInstant());
      List<String> channelNames =
          opt("source.liveperson.channels").map(v -> (List<String>) v).orElse(List.of());
      var liveperson =
          new ArchiverConfig.LivePerson(
              Optional.<String>ofNullable(get("source.liveperson.account")).orElse(""),
              get("source.liveperson.domainApi"),
              new ArchiverConfig.Auth(
                  get("source.liveperson.auth.type"),
                  Optional.<String>ofNullable(get("source.liveperson.auth.consumerKey")).orElse(""),
                  this.<Secret>opt("source.liveperson.auth.consumerSecret").orElse(Secret.of("")),
                  Optional.<String>ofNullable(get("source.liveperson.auth.token")).orElse(""),
                  this.<Secret>opt("source.liveperson.auth.tokenSecret").orElse(Secret.of(""))),
              channelNames.stream()
                  .map(n -> Channel.valueOf(n.toUpperCase(Locale.ROOT)))
                  .distinct()
                  .toList(),
              backfill,
              get("source.liveperson.sourceName"),
              get("source.liveperson.updateLag"),
              new ArchiverConfig.Retry(
                  get("source.liveperson.retry.maxAttempts"),
                  get("source.liveperson.retry.initialBackoff"),
                  get("source.liveperson.retry.timeout")),
              get("source.liveperson.allowedHosts"),
              new ArchiverConfig.Files(
                  "true".equals(get("source.liveperson.files.enabled")),
                  Optional.<String>ofNullable(get("source.liveperson.files.login.username"))
                      .orElse(""),
                  this.<Secret>opt("source.liveperson.files.login.password")
                      .orElse(Secret.of(""))));
      return new ArchiverConfig(
          new ArchiverConfig.Source(liveperson),
          new ArchiverConfig.Mapping(
              opt("mapping.csv"), opt("mapping.fallbackMailbox"), get("mapping.alwaysCopyTo")),
          new ArchiverConfig.Target(
              get("target.type"),
              get("target.folder"),
              new ArchiverConfig.Maildir(get("target.maildir.root")),
              new ArchiverConfig.Graph(
                  Optional.<String>ofNullable(get("target.graph.tenantId")).orElse(""),
                  Optional.<String>ofNullable(get("target.graph.clientId")).orElse(""),
                  opt("target.graph.clientSecret"),
                  opt("target.graph.certificatePath"),
                  this.<Secret>opt("target.graph.certificatePassword").orElse(Secret.of("")),
                  get("target.graph.authority"),
                  get("target.graph.baseUrl"),
                  get("target.graph.maxAttachmentSize"),
                  get("target.graph.requestBudget")),
              imap(),
              smtp(),
              get("target.concurrency")),
          new ArchiverConfig.State(get("state.dir")),
          new ArchiverConfig.Schedule(get("schedule.interval"), cron()),
          new ArchiverConfig.Server(get("server.bind"), opt("server.token")),
          new ArchiverConfig.Alerts(opt("alerts.webhook"), get("alerts.maxLag"), alertEmail()),
          new ArchiverConfig.Archive(opt("archive.overflowDir"), get("archive.openSnapshotAfter")),
          new ArchiverConfig.Tls("true".equals(get("tls.insecureSkipVerify"))),
          new ArchiverConfig.Audit(this.<Secret>opt("audit.signingKey").filter(k -> !k.isBlank())));
    }

    private ArchiverConfig.AlertEmail alertEmail() {
      return new ArchiverConfig.AlertEmail(
          get("alerts.email.to"),
          opt("alerts.email.from"),
          opt("alerts.email.host"),
          opt("alerts.email.port"),
          get("alerts.email.security"),
          "true".equals(get("alerts.email.allowInsecure")),
          opt("alerts.email.username"),
          this.<Secret>opt("alerts.email.password").orElse(Secret.of("")));
    }

    private Optional<CronExpression> cron() {
      try {
        return this.<String>opt("schedule.cron").map(CronExpression::parse);
      } catch (IllegalArgumentException e) {
        problems.add("schedule.cron: " + e.getMessage());
        return Optional.empty();
      }
    }

    private void validateGraph() {
      for (String key : List.of("target.graph.tenantId", "target.graph.clientId")) {
        if (opt(key).isEmpty()) {
          problems.add(key + ": required when target.type is graph (see docs/microsoft365.md)");
        }
      }
      boolean secret = opt("target.graph.clientSecret").isPresent();
      boolean certificate = opt("target.graph.certificatePath").isPresent();
      if (secret == certificate) {
        problems.add(
            "target.graph: give exactly one of clientSecret and certificatePath (a certificate"
                + " is preferred)");
      }
    }

    private ArchiverConfig.Imap imap() {
      return new ArchiverConfig.Imap(
          opt("target.imap.host"),
          opt("target.imap.port"),
          get("target.imap.security"),
          "true".equals(get("target.imap.allowInsecure")),
          get("target.imap.mode"),
          opt("target.imap.username"),
          this.<Secret>opt("target.imap.password").orElse(Secret.of("")),
          get("target.imap.loginTemplate"),
          get("target.imap.connectionsPerMailbox"),
          opt("target.imap.maxIdleConnections"),
          get("target.imap.timeout"),
          this.<URI>opt("target.imap.oauth2.tokenUrl")
              .map(
                  url ->
                      new ArchiverConfig.ImapOAuth2(
                          url,
                          Optional.<String>ofNullable(get("target.imap.oauth2.clientId"))
                              .orElse(""),
                          this.<Secret>opt("target.imap.oauth2.clientSecret").orElse(Secret.of("")),
                          opt("target.imap.oauth2.scope"))),
          opt("target.imap.maxMessageSize"));
    }

    private ArchiverConfig.Smtp smtp() {
      return new ArchiverConfig.Smtp(
          opt("target.smtp.host"),
          opt("target.smtp.port"),
          get("target.smtp.security"),
          "true".equals(get("target.smtp.allowInsecure")),
          opt("target.smtp.username"),
          this.<Secret>opt("target.smtp.password").orElse(Secret.of("")),
          opt("target.smtp.envelopeFrom"),
          opt("target.smtp.journalAddress"),
          get("target.smtp.connections"),
          get("target.smtp.timeout"));
    }

    /** The keys a target type needs, and plaintext only when explicitly allowed. */
    private void validateTarget() {
      String type = this.<String>opt("target.type").orElse("");
      if (type.equals("imap")) {
        boolean oauth2 = opt("target.imap.oauth2.tokenUrl").isPresent();
        List<String> needed =
            oauth2
                ? List.of(
                    "target.imap.host",
                    "target.imap.oauth2.clientId",
                    "target.imap.oauth2.clientSecret")
                : List.of("target.imap.host", "target.imap.username", "target.imap.password");
        for (String key : needed) {
          requireFor(type, key);
        }
        requireAllowed("imap");
      } else if (type.equals("smtp")) {
        requireFor(type, "target.smtp.host");
        requireFor(type, "target.smtp.envelopeFrom");
        if (opt("target.smtp.username").isPresent()) {
          requireFor(type, "target.smtp.password");
        }
        requireAllowed("smtp");
      }
    }

    private void validateAlertEmail() {
      List<?> to = get("alerts.email.to");
      if (to == null || to.isEmpty()) {
        return;
      }
      for (String key : List.of("alerts.email.from", "alerts.email.host")) {
        if (opt(key).isEmpty()) {
          problems.add(
              key + ": required with alerts.email.to. " + ConfigKeys.BY_PATH.get(key).doc());
        }
      }
      if (opt("alerts.email.username").isPresent() && opt("alerts.email.password").isEmpty()) {
        problems.add("alerts.email.password: required with alerts.email.username; use ${ENV}");
      }
      if ("none".equals(get("alerts.email.security"))
          && !"true".equals(get("alerts.email.allowInsecure"))) {
        problems.add(
            "alerts.email.security: 'none' sends the password and the alerts in clear; use tls or"
                + " starttls, or set alerts.email.allowInsecure: true for a relay on loopback");
      }
    }

    private void requireFor(String type, String key) {
      if (opt(key).isEmpty()) {
        problems.add(
            key
                + ": required when target.type is "
                + type
                + ". "
                + ConfigKeys.BY_PATH.get(key).doc());
      }
    }

    private void requireAllowed(String protocol) {
      String prefix = "target." + protocol + ".";
      if ("none".equals(get(prefix + "security"))
          && !"true".equals(get(prefix + "allowInsecure"))) {
        problems.add(
            prefix
                + "security: 'none' sends the password in clear; use tls or starttls, or set "
                + prefix
                + "allowInsecure: true for a server on loopback");
      }
    }

    private void validate(Clock clock) {
      validateTarget();
      validateAlertEmail();
      this.<String>opt("source.liveperson.account")
          .filter(a -> !ACCOUNT.matcher(a).matches())
          .ifPresent(
              a ->
                  problems.add(
                      "source.liveperson.account: '"
                          + a
                          + "' is not a LivePerson account id; use the digits of your site id, e.g. \"12345678\""));
      this.<String>opt("source.liveperson.sourceName")
          .filter(s -> s.length() > MAX_SOURCE_NAME)
          .ifPresent(
              s ->
                  problems.add(
                      "source.liveperson.sourceName: at most "
                          + MAX_SOURCE_NAME
                          + " characters, LivePerson rejects longer values"));
      this.<Instant>opt("source.liveperson.backfillFrom")
          .filter(i -> i.isAfter(clock.instant()))
          .ifPresent(
              i ->
                  problems.add(
                      "source.liveperson.backfillFrom: "
                          + i
                          + " is in the future; use a past instant"));
      this.<String>opt("target.folder")
          .filter(f -> f.chars().anyMatch(Character::isISOControl) || f.length() > 200)
          .ifPresent(
              f ->
                  problems.add(
                      "target.folder: must be a single folder name without control characters, at most 200 characters"));
      if ("graph".equals(get("target.type"))) {
        validateGraph();
      }
      if ("true".equals(get("source.liveperson.files.enabled"))) {
        for (String key :
            List.of(
                "source.liveperson.files.login.username",
                "source.liveperson.files.login.password")) {
          if (opt(key)
              .map(v -> v instanceof Secret x ? x.isBlank() : v.toString().isBlank())
              .orElse(true)) {
            problems.add(
                key
                    + ": required when source.liveperson.files.enabled is true. "
                    + ConfigKeys.BY_PATH.get(key).doc());
          }
        }
      }
      this.<List<String>>opt("source.liveperson.channels")
          .filter(List::isEmpty)
          .ifPresent(
              c ->
                  problems.add(
                      "source.liveperson.channels: list at least one channel, e.g. [messaging]"));
    }
  }
}
