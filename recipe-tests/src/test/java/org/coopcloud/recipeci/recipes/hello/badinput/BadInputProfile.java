package org.coopcloud.recipeci.recipes.hello.badinput;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.RecipeProfile;
import org.coopcloud.recipeci.Stage;
import org.coopcloud.recipeci.Version;

/**
 * The profile of {@code badin}, a copy of hello that only {@code BadInputIT}'s catalogue holds; each of its settings is
 * wrong in the way {@code -Drecipeci.it.bad-profile} names. It is registered only on the classpath of that test's
 * child runs (a services file in a directory of its own), never in the project's.
 */
public final class BadInputProfile implements RecipeProfile {
    static final String RECIPE = "badin";

    private final String mode = System.getProperty("recipeci.it.bad-profile", "");

    @Override
    public String recipe() {
        return RECIPE;
    }

    @Override
    public String healthPath() {
        return mode.equals("health-path") ? "health" : "/health";
    }

    @Override
    public Duration deployTimeout() {
        return mode.equals("deploy-timeout") ? Duration.ofSeconds(-5) : Duration.ofMinutes(2);
    }

    @Override
    public Map<String, String> extraEnv() {
        return switch (mode) {
            case "unknown-env" -> Map.of("GREETING_COLOUR", "blue");
            case "env-key" -> Map.of("LETS-ENCRYPT-ENV", "staging");
            case "env-value" -> Map.of("LETS_ENCRYPT_ENV", "staging\nproduction");
            default -> Map.of();
        };
    }

    @Override
    public Map<Stage, String> notApplicable() {
        return mode.equals("install-not-applicable") ? Map.of(Stage.INSTALL, "no") : Map.of();
    }

    @Override
    public Optional<Version> upgradeBase() {
        return mode.equals("upgrade-base") ? Optional.of(new Version("0.0.1+0.1")) : Optional.empty();
    }

    @Override
    public List<RecipeName> dependencies() {
        return mode.equals("self-dependency") ? List.of(new RecipeName(RECIPE)) : List.of();
    }

    @Override
    public Optional<String> composeOverlay() {
        return switch (mode) {
            // Written for a release that has a `web` service; this one has only `app`.
            case "overlay-other-version" -> Optional.of("bad-input/overlay-web.yml");
            case "overlay-missing" -> Optional.of("bad-input/no-such-overlay.yml");
            default -> Optional.empty();
        };
    }
}
