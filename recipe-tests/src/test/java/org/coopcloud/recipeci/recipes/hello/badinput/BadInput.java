package org.coopcloud.recipeci.recipes.hello.badinput;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bad input: the properties and variables that differ from a good run of hello (a {@code null} property is left
 * out), what the one message line must say ({@code fix}), and a wrapper the run starts under, if any.
 */
public record BadInput(
        String name, String fix, Map<String, String> properties, Map<String, String> env, List<String> wrapper) {
    static BadInput of(String name, String fix) {
        return new BadInput(name, fix, new LinkedHashMap<>(), new LinkedHashMap<>(), List.of());
    }

    BadInput set(String key, String value) {
        properties.put(key, value);
        return this;
    }

    BadInput env(String name, String value) {
        env.put(name, value);
        return this;
    }

    BadInput under(List<String> wrapper) {
        return new BadInput(name, fix, properties, env, wrapper);
    }
}
