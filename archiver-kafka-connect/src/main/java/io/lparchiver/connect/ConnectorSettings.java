package io.lparchiver.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lparchiver.config.ArchiverConfig;
import io.lparchiver.config.ConfigException;
import io.lparchiver.config.ConfigKey;
import io.lparchiver.config.ConfigKeys;
import io.lparchiver.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The connectors' configuration: every lp-archiver YAML key under the same dotted name, defined
 * from {@link ConfigKeys} (so there is one definition) and validated by the same {@link
 * ConfigLoader} as the YAML file. Lists are comma-separated; secrets are {@code PASSWORD}s, which
 * Connect shows as {@code [hidden]}. Connect resolves config providers ({@code
 * ${env:LP_TOKEN_SECRET}}, {@code ${file:...}}) before the connector sees a value.
 */
public final class ConnectorSettings {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The first segments of lp-archiver's keys; any other connector key belongs to Connect. */
  private static final Set<String> SECTIONS =
      ConfigKeys.ALL.stream()
          .map(k -> k.path().substring(0, k.path().indexOf('.')))
          .collect(Collectors.toUnmodifiableSet());

  private ConnectorSettings() {}

  /** A {@link ConfigDef} of every lp-archiver key, plus {@code extra} connector-only keys. */
  public static ConfigDef configDef(ConfigDef extra) {
    ConfigDef def = new ConfigDef(extra);
    for (ConfigKey key : ConfigKeys.ALL) {
      def.define(
          key.path(),
          type(key.type()),
          defaultValue(key),
          ConfigDef.Importance.MEDIUM,
          key.doc() + (key.allowed().isEmpty() ? "" : " One of " + key.allowed() + "."));
    }
    return def;
  }

  private static ConfigDef.Type type(ConfigKey.Type type) {
    return switch (type) {
      case SECRET -> ConfigDef.Type.PASSWORD;
      case MAILBOX_LIST, ENUM_LIST -> ConfigDef.Type.LIST;
      default -> ConfigDef.Type.STRING;
    };
  }

  // Required keys have no default, so Connect reports them missing; optional ones default to
  // null and are left out of what the loader sees.
  private static Object defaultValue(ConfigKey key) {
    if (key.required()) {
      return ConfigDef.NO_DEFAULT_VALUE;
    }
    if (key.defaultValue().isEmpty()) {
      return null;
    }
    String d = key.defaultValue().get();
    return d.startsWith("[") ? d.substring(1, d.length() - 1).replace(" ", "") : d;
  }

  /**
   * Parses the connector's properties into the lp-archiver configuration.
   *
   * @throws ConfigException listing every problem, each naming its key and the fix
   */
  public static ArchiverConfig parse(Map<String, String> props, Clock clock) {
    // ${VAR} works as in the YAML file (from the worker's environment); relative paths resolve
    // against the worker's working directory, so the docs ask for absolute ones.
    return new ConfigLoader(System::getenv, clock)
        .parse(toYamlTree(props).toString(), Path.of("").toAbsolutePath());
  }

  /**
   * Validates as {@link org.apache.kafka.connect.connector.Connector#validate} does: the {@link
   * ConfigDef} checks, then the loader's problems attached to the key each names.
   */
  public static List<ConfigValue> validate(ConfigDef def, Map<String, String> props) {
    List<ConfigValue> values = def.validate(props);
    boolean missing = values.stream().anyMatch(v -> !v.errorMessages().isEmpty());
    if (missing) {
      return values;
    }
    try {
      parse(props, Clock.systemUTC());
    } catch (ConfigException e) {
      Map<String, ConfigValue> byName =
          values.stream().collect(Collectors.toMap(ConfigValue::name, v -> v));
      for (String problem : e.problems()) {
        String key = problem.contains(":") ? problem.substring(0, problem.indexOf(':')) : "";
        ConfigValue target = byName.get(key);
        if (target == null) {
          target = new ConfigValue(key.isEmpty() ? "source.liveperson.account" : key);
          values = new ArrayList<>(values);
          values.add(target);
          byName.put(target.name(), target);
        }
        target.addErrorMessage(problem);
      }
    }
    return values;
  }

  /** The lp-archiver keys of {@code props} as the nested tree a YAML file would give. */
  static ObjectNode toYamlTree(Map<String, String> props) {
    ObjectNode root = JSON.createObjectNode();
    for (Map.Entry<String, String> e : props.entrySet()) {
      String name = e.getKey();
      int dot = name.indexOf('.');
      if (dot < 0 || !SECTIONS.contains(name.substring(0, dot)) || e.getValue() == null) {
        continue;
      }
      String[] parts = name.split("\\.");
      ObjectNode parent = root;
      for (String part : Arrays.asList(parts).subList(0, parts.length - 1)) {
        parent = parent.get(part) instanceof ObjectNode child ? child : parent.putObject(part);
      }
      String leaf = parts[parts.length - 1];
      if (isList(name)) {
        ArrayNode list = parent.putArray(leaf);
        Arrays.stream(e.getValue().split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .forEach(list::add);
      } else {
        parent.put(leaf, e.getValue());
      }
    }
    return root;
  }

  private static boolean isList(String name) {
    return ConfigKeys.ALL.stream()
        .anyMatch(
            k ->
                k.path().equals(name)
                    && (k.type() == ConfigKey.Type.ENUM_LIST
                        || k.type() == ConfigKey.Type.MAILBOX_LIST));
  }
}
