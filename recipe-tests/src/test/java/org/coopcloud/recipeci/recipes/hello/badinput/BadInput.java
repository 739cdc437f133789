package org.coopcloud.recipeci.recipes.hello.badinput;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bad input: the properties and variables that differ from a good run of hello (a {@code null} property is left
 * out), what the one message line must say ({@code fix}), a wrapper the run starts under, if any, and whether the
 * refusal has a run directory to write its ending to ({@code runDirectory}: not when the recipe, the run id or the
 * runs directory is what is wrong).
 */
public record BadInput(
        String name,
        String fix,
        Map<String, String> properties,
        Map<String, String> env,
        List<String> wrapper,
        boolean runDirectory) {
    static BadInput of(String name, String fix) {
        return new BadInput(name, fix, new LinkedHashMap<>(), new LinkedHashMap<>(), List.of(), true);
    }

    /** The recipe, the run id or the runs directory is what is wrong: no run directory is this run's. */
    BadInput withoutRunDirectory() {
        return new BadInput(name, fix, properties, env, wrapper, false);
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
        return new BadInput(name, fix, properties, env, wrapper, runDirectory);
    }
}
