package org.coopcloud.recipeci.internal.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.internal.lock.Owner;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * What the swarm shows of an app, whichever tool deployed it: its services and tasks, labels, logs, volumes,
 * {@code exec} into its tasks, and what is left of it. Every driver answers these the same way (docker is the
 * common ground), so they are not part of the driver's lifecycle; {@link DeployDriver#view()} hands them out. Works
 * from the app's domain alone, so a janitor can ask about an app whose run is gone.
 */
public interface AppView {
    List<ServiceState> services(AppDomain app);

    /**
     * The {@code coop-cloud.<stack>.version} label of the app's {@code app} service; empty without one or without the
     * service, an exception when docker cannot say.
     */
    Optional<String> versionLabel(AppDomain app);

    /** Runs argv in a running task of the app's {@code service} ({@code docker exec}); never throws for its exit. */
    CommandResult exec(AppDomain app, String service, List<String> argv, Optional<String> stdin);

    /** The names of the app's volumes now. */
    List<String> volumes(AppDomain app);

    /** The last {@code lines} lines a service logged. */
    String logs(AppDomain app, String service, int lines);

    /** Whether any service of the app carries {@code backupbot.backup=true}. */
    boolean backupCapable(AppDomain app);

    /** Where the {@code app} service's backups start (first backup path, else first backed-up volume), if any. */
    Optional<String> backupPath(AppDomain app);

    /**
     * Fails when a task started by this process's last deploy of the app has failed since (the ready wait asks while
     * the app does not answer); nothing to check for an app this process did not deploy.
     */
    default void requireNoFailedTask(AppDomain app) {}

    /**
     * Whether a task of this process's last deploy of the app failed once and swarm restarted it (forgiven, unless it
     * fails again: the ready wait then watches the app a while longer).
     */
    default boolean forgaveAFailure(AppDomain app) {
        return false;
    }

    /** The task table of the app's stack, for failure messages and evidence. */
    String taskTable(AppDomain app);

    /** Everything of the app that exists now (stack, containers, volumes, secrets, configs, networks, env file). */
    List<String> leftovers(AppDomain app);

    /**
     * The owners the env files and swarm labels of {@code apps} name; an app that carries no owner (cc-ci's, or one
     * from before the labels) is not in the answer.
     */
    default Map<AppDomain, Owner> owners(Set<AppDomain> apps) {
        return Map.of();
    }

    /**
     * How this run reaches the app's Traefik routers: its own bridge into the {@code proxy} network, or the host's
     * Traefik by domain. Only for an app this process deployed (unlike the rest of the view, it is not read from
     * the swarm); waits for a bridge that is still opening.
     *
     * @throws IllegalStateException when this process has not deployed the app
     */
    FrontDoor frontDoor(AppDomain app);
}
