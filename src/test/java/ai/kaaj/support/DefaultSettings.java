package ai.kaaj.support;

import ai.kaaj.config.AppConfig;
import ai.kaaj.config.Settings;

import java.nio.file.Path;
import java.util.Map;

/** The settings config/application.properties gives, for tests and benchmarks that build parts themselves. */
public final class DefaultSettings {

    private DefaultSettings() {
    }

    public static Settings load() {
        return Settings.from(AppConfig.load(Path.of("config/application.properties"), Path.of("no-such.env"),
                Map.of()));
    }
}
