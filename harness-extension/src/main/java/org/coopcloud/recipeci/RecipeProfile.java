package org.coopcloud.recipeci;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What recipe-ci needs to know about one recipe beyond its compose file. Every method has a default that suits a
 * plain web app; a recipe overrides what differs and registers its profile as a {@link java.util.ServiceLoader}
 * service ({@code META-INF/services/org.coopcloud.recipeci.RecipeProfile}). Values are checked before anything is
 * deployed; a wrong one is a configuration error naming the setting.
 *
 * <pre>{@code
 * public final class NotesProfile implements RecipeProfile {
 *     public String recipe() { return "notes"; }
 *     public String healthPath() { return "/health"; }
 *     public Optional<String> markerPath() { return Optional.of("/cgi-bin/marker"); }
 * }
 * }</pre>
 */
public interface RecipeProfile {
    /** The recipe this profile describes. */
    String recipe();

    /** Path requested on the app to decide it is healthy. Must start with '/'. */
    default String healthPath() {
        return "/";
    }

    /** Whether a health-path status means "healthy"; 2xx and 3xx by default. */
    default boolean healthOk(int status) {
        return status >= 200 && status < 400;
    }

    /** One limit for converging and becoming ready, per deploy (install and upgrade alike). */
    default Duration deployTimeout() {
        return Duration.ofMinutes(5);
    }

    /** Connect and read timeout of one HTTP request to the app. */
    default Duration httpTimeout() {
        return Duration.ofSeconds(10);
    }

    /**
     * When the app counts as ready after a deploy: by default its health path answers once. See {@link ReadyProbe}
     * for several answers in a row ({@code .stable(n)}), a TCP check or a check of your own.
     */
    default ReadyProbe readyProbe() {
        return ReadyProbe.http(healthPath());
    }

    /** Env values set on the app before its first deploy (added to or replacing those of {@code .env.sample}). */
    default Map<String, String> extraEnv() {
        return Map.of();
    }

    /** Env values set on the app before the upgrade deploy. */
    default Map<String, String> upgradeExtraEnv() {
        return Map.of();
    }

    /**
     * An HTTP path of the app that stores a text on POST and returns it on GET: the generic UPGRADE, BACKUP and
     * RESTORE tiers write their marker through it. Without one, the marker is a file written with
     * {@code docker exec} into the app service's first {@code backupbot.backup.path}.
     */
    default Optional<String> markerPath() {
        return Optional.empty();
    }

    /** After a backup, check that the snapshot holds the marker, and take the backup again if not (3 tries). */
    default boolean backupVerify() {
        return false;
    }

    /** Tiers that do not apply to this recipe, with the reason; they are reported as intentionally skipped. */
    default Map<Stage, String> notApplicable() {
        return Map.of();
    }

    /** The release the UPGRADE tier starts from; by default the release before the code under test. */
    default Optional<Version> upgradeBase() {
        return Optional.empty();
    }

    /** Recipes to deploy before this one (by name), each on its own domain, torn down after it. */
    default List<RecipeName> dependencies() {
        return List.of();
    }

    /**
     * A compose file shipped with the tests (a classpath resource) that is added to the recipe's
     * {@code COMPOSE_FILE} chain for every deploy, e.g. to shorten a healthcheck in CI.
     */
    default Optional<String> composeOverlay() {
        return Optional.empty();
    }

    /** Runs after the app is created and before its first deploy: set env values, prepare files. */
    default void installSteps(AppSetup setup) {}

    /** Runs before the operation of a tier (UPGRADE, BACKUP, RESTORE) on the deployed app. */
    default void beforeOperation(Stage stage, DeployedApp app) {}

    /** The profile every recipe without one of its own gets. */
    static RecipeProfile defaults(RecipeName recipe) {
        return () -> recipe.value();
    }

    /** The app between creation and first deploy, for {@link #installSteps}. */
    interface AppSetup {
        AppDomain domain();

        Optional<String> env(String key);

        /** Sets an env value of the app (written to its env file before the deploy). */
        void setEnv(String key, String value);
    }
}
