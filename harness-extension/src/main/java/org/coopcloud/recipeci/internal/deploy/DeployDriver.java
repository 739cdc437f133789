package org.coopcloud.recipeci.internal.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * Deploys apps with Co-op Cloud semantics. One implementation per deploy target: {@code swarm} (the docker CLI) and
 * {@code abra} (the abra CLI). Both pass the same contract tests; see {@code docs/drivers.md}.
 */
public interface DeployDriver {
    String name();

    /**
     * Where the run's checkout of {@code recipe} goes, relative to the run directory: {@code recipes/<recipe>}, or
     * wherever the driver's tool reads recipes from.
     */
    default java.nio.file.Path checkoutPath(org.coopcloud.recipeci.RecipeName recipe) {
        return java.nio.file.Path.of("recipes", recipe.value());
    }

    /** Fails with one clear {@link org.coopcloud.recipeci.RecipeConfigurationException} when the target is unusable. */
    void checkEnvironment();

    /** Checks that the recipe's compose files parse with the app's env, before anything is created. */
    void validate(RecipeSource source, AppDomain domain);

    /** Creates the app: env file and secrets. Nothing runs yet. */
    AppInstance create(
            RecipeSource source, AppDomain domain, java.util.Map<String, String> extra, GeneratedSecrets secrets);

    /** Deploys the checked-out recipe and waits until every service converged. */
    void deploy(AppInstance app, RecipeSource source, Duration timeout);

    List<ServiceState> services(AppInstance app);

    /** The {@code coop-cloud.<stack>.version} label of the app's main service. */
    Optional<String> deployedVersion(AppInstance app);

    /**
     * Rewrites the app's env from the (new) code under test's {@code .env.sample}, keeping the values the app
     * already has and adding {@code extra}, and creates any secret whose version is new. Nothing is deployed.
     */
    AppInstance reconfigure(
            AppInstance app, RecipeSource source, java.util.Map<String, String> extra, GeneratedSecrets secrets);

    /** Runs argv in a running task of the app's {@code service} ({@code docker exec}); never throws for its exit. */
    org.coopcloud.recipeci.internal.process.CommandResult exec(
            AppInstance app, String service, List<String> argv, Optional<String> stdin);

    /** The names of the app's volumes. */
    List<String> volumes(AppDomain domain);

    /** The last {@code lines} lines a service logged. */
    String logs(AppInstance app, String service, int lines);

    /** Whether any service of the app carries {@code backupbot.backup=true}. */
    boolean backupCapable(AppInstance app);

    /** Where the {@code app} service's backups start (first backup path, else first backed-up volume), if any. */
    Optional<String> backupPath(AppInstance app);

    /** Takes a backup the way backupbot's labels say (hooks, paths, excluded volumes) into {@code dir}. */
    Snapshot backup(AppInstance app, String id, java.nio.file.Path dir);

    /** Restores a snapshot into the running app (restore hooks around it). */
    void restore(AppInstance app, Snapshot snapshot);

    /** Every app the target knows of: env files and stacks on the swarm (for the janitor; it filters). */
    java.util.Set<AppDomain> listApps();

    /** The task table of the app's stack, for failure messages and evidence. */
    String taskTable(AppDomain domain);

    /** Everything of the app that exists now (stack, containers, volumes, secrets, configs, networks, env file). */
    List<String> leftovers(AppDomain domain);

    /**
     * Removes everything the app owns (stack, volumes, secrets, configs, networks, env file), then checks that
     * nothing remains.
     *
     * @return what is left behind; empty when the teardown is clean
     */
    List<String> teardown(AppDomain domain);
}
