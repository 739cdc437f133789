package org.coopcloud.recipeci.internal.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * The lifecycle of apps with Co-op Cloud semantics on one deploy target: create, deploy, reconfigure, back up,
 * restore, list, tear down. One implementation per target — {@code swarm} (the docker CLI) and {@code abra} (the
 * abra CLI) — chosen by name ({@link DeployDrivers}); both pass the same contract tests (see {@code docs/drivers.md}).
 * What the swarm shows of an app is the same for every driver: {@link #view()}.
 */
public interface DeployDriver {
    String name();

    /**
     * Where the run's checkout of {@code recipe} goes, relative to the run directory: {@code recipes/<recipe>}, or
     * wherever the driver's tool reads recipes from.
     */
    default Path checkoutPath(RecipeName recipe) {
        return Path.of("recipes", recipe.value());
    }

    /**
     * Whether the run's checkout may be made while the janitor tears other runs' apps down: true when the driver's
     * teardowns never touch {@link #checkoutPath}. Otherwise the run makes its plan after the janitor.
     */
    default boolean mayPlanAhead() {
        return true;
    }

    /** Fails with one clear {@link RecipeConfigurationException} when the target is unusable. */
    void checkEnvironment();

    /** Checks that the recipe's compose files parse with the app's env, before anything is created. */
    default void validate(RecipeSource source, AppDomain domain) {
        validate(source, domain, Map.of());
    }

    /**
     * Checks, before anything is created, the compose files as the app will be deployed: with {@code extra} set on
     * the sample's env (the profile's env, a {@code COMPOSE_FILE} that names the profile's overlay).
     */
    void validate(RecipeSource source, AppDomain domain, Map<String, String> extra);

    /** Creates the app: env file and secrets. Nothing runs yet. */
    AppInstance create(RecipeSource source, AppDomain domain, Map<String, String> extra, RunSecrets secrets);

    /**
     * Rewrites the app's env from the (new) code under test's {@code .env.sample}, keeping the values the app
     * already has and adding {@code extra}, and creates any secret whose version is new. Nothing is deployed.
     */
    AppInstance reconfigure(AppInstance app, RecipeSource source, Map<String, String> extra, RunSecrets secrets);

    /** Deploys the checked-out recipe and waits until every service converged. */
    void deploy(AppInstance app, RecipeSource source, Duration timeout);

    /** Takes a backup the way backupbot's labels say (hooks, paths, excluded volumes) into {@code dir}. */
    Snapshot backup(AppInstance app, String id, Path dir);

    /** Restores a snapshot into the running app (restore hooks around it). */
    void restore(AppInstance app, Snapshot snapshot);

    /** Every app the target knows of: env files and stacks on the swarm (for the janitor; it filters). */
    Set<AppDomain> listApps();

    /**
     * Removes everything the app owns (stack, volumes, secrets, configs, networks, env file), then checks that
     * nothing remains.
     *
     * @return what is left behind; empty when the teardown is clean
     */
    List<String> teardown(AppDomain domain);

    /** What the swarm shows of this driver's apps. */
    AppView view();
}
