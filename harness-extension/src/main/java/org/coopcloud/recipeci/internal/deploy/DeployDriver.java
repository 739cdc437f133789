package org.coopcloud.recipeci.internal.deploy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/** Deploys apps with Co-op Cloud semantics. One implementation per deploy target ({@code swarm}, later {@code abra}). */
public interface DeployDriver {
    String name();

    /** Fails with one clear {@link org.coopcloud.recipeci.RecipeConfigurationException} when the target is unusable. */
    void checkEnvironment();

    /** Checks that the recipe's compose files parse with the app's env, before anything is created. */
    void validate(RecipeSource source, AppDomain domain);

    /** Creates the app: env file and secrets. Nothing runs yet. */
    AppInstance create(RecipeSource source, AppDomain domain, GeneratedSecrets secrets);

    /** Deploys the checked-out recipe and waits until every service converged. */
    void deploy(AppInstance app, RecipeSource source, Duration timeout);

    List<ServiceState> services(AppInstance app);

    /** The {@code coop-cloud.<stack>.version} label of the app's main service. */
    Optional<String> deployedVersion(AppInstance app);

    /** Every app the target knows of: env files and stacks on the swarm (for the janitor; it filters). */
    java.util.Set<AppDomain> listApps();

    /** The task table of the app's stack, for failure messages and evidence. */
    String taskTable(AppDomain domain);

    /**
     * Removes everything the app owns (stack, volumes, secrets, configs, networks, env file), then checks that
     * nothing remains.
     *
     * @return what is left behind; empty when the teardown is clean
     */
    List<String> teardown(AppDomain domain);
}
