package org.coopcloud.recipeci.internal.config;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * The deploy driver a run uses, by name, and the settings that only that driver reads: the keys named after it
 * ({@link ConfigKey#settingsOf}, e.g. {@code recipeci.abra-home}); the driver checks them itself.
 */
public record DriverSettings(String name, Map<ConfigKey, String> options) {
    public static final String DEFAULT = "swarm";

    public DriverSettings {
        if (!name.matches("[a-z][a-z0-9-]{0,30}")) {
            throw new RecipeConfigurationException("recipeci.driver '" + name + "' is not a driver name: use"
                    + " lowercase letters, digits and '-' (e.g. 'swarm')");
        }
        options = options.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(options));
    }

    public static DriverSettings named(String name) {
        return new DriverSettings(name, Map.of());
    }

    public Optional<String> option(ConfigKey key) {
        return Optional.ofNullable(options.get(key));
    }
}
