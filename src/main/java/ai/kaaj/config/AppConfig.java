package ai.kaaj.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The service's settings: config/application.properties, overridden by a .env file in the working
 * directory, overridden by the environment. A key's variable is its name in upper case with dots as
 * underscores (kaaj.http.port is KAAJ_HTTP_PORT). Typed getters fail with a message naming that variable.
 */
public final class AppConfig {

    private final Map<String, String> values;

    private AppConfig(Map<String, String> values) {
        this.values = values;
    }

    /** Reads the properties file, then .env, then the given environment, each overriding the last. */
    public static AppConfig load(Path propertiesFile, Path dotEnv, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        Properties defaults = new Properties();
        try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            defaults.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + propertiesFile + ": " + e.getMessage());
        }
        defaults.stringPropertyNames().forEach(key -> values.put(key, defaults.getProperty(key).trim()));
        Map<String, String> fromDotEnv = Files.isRegularFile(dotEnv) ? readDotEnv(dotEnv) : Map.of();
        for (String key : List.copyOf(values.keySet())) {
            String variable = variableOf(key);
            // An empty variable counts as unset (compose passes ${X:-} through as ""), so defaults still apply.
            if (!environment.getOrDefault(variable, "").isBlank()) {
                values.put(key, environment.get(variable).trim());
            } else if (!fromDotEnv.getOrDefault(variable, "").isBlank()) {
                values.put(key, fromDotEnv.get(variable).trim());
            }
        }
        return new AppConfig(values);
    }

    /** A copy with some keys replaced (tests, and roles that switch parts off). */
    public AppConfig with(Map<String, String> overrides) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.putAll(overrides);
        return new AppConfig(copy);
    }

    public static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    private static Map<String, String> readDotEnv(Path file) {
        Map<String, String> result = new LinkedHashMap<>();
        try {
            int lineNumber = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNumber++;
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                if (trimmed.startsWith("export ")) {
                    trimmed = trimmed.substring("export ".length()).trim();
                }
                int eq = trimmed.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(file + " line " + lineNumber + " is not NAME=value: " + trimmed);
                }
                String value = trimmed.substring(eq + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                        || value.startsWith("'") && value.endsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                result.put(trimmed.substring(0, eq).trim(), value);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        return result;
    }

    /** Every value, for handing the camel.* keys (and the rest, for placeholders) to Camel. */
    public Map<String, String> asMap() {
        return Map.copyOf(values);
    }

    public String string(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new ConfigException(variableOf(key) + " is not a known setting");
        }
        return value;
    }

    /** The value, or null when it is empty (an unset optional setting). */
    public String optional(String key) {
        String value = string(key);
        return value.isEmpty() ? null : value;
    }

    public int integer(String key, int min, int max) {
        String value = string(key);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < min || parsed > max) {
                throw new ConfigException(variableOf(key) + "=" + value + " is out of range: it must be between "
                        + min + " and " + max);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(variableOf(key) + "=" + value + " is not a whole number (expected "
                    + min + ".." + max + ")");
        }
    }

    public int port(String key) {
        return integer(key, 1, 65535);
    }

    public Path path(String key) {
        String value = string(key);
        if (value.isEmpty()) {
            throw new ConfigException(variableOf(key) + " must not be empty: it names a directory");
        }
        return Path.of(value);
    }

    /** A setting that cannot be used, with a message that names its variable. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
