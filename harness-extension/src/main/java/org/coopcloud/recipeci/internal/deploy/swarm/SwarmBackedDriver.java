package org.coopcloud.recipeci.internal.deploy.swarm;

import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.ServiceState;
import org.coopcloud.recipeci.internal.deploy.AppInstance;
import org.coopcloud.recipeci.internal.deploy.DeployDriver;
import org.coopcloud.recipeci.internal.process.CommandResult;
import org.coopcloud.recipeci.internal.recipe.RecipeSource;

/**
 * A driver whose apps are stacks on the local swarm: whatever tool created an app, what docker shows of it —
 * services, the version label, logs, volumes, backup labels, {@code exec}, the task table, what is left of it — is
 * answered the same way, through {@link Swarm}. Drivers differ in the lifecycle: create, deploy, backup, restore,
 * listing and teardown.
 */
public abstract class SwarmBackedDriver implements DeployDriver {
    protected final Swarm swarm;

    protected SwarmBackedDriver(Swarm swarm) {
        this.swarm = swarm;
    }

    @Override
    public void validate(RecipeSource source, AppDomain domain) {
        swarm.validateCompose(source, domain);
    }

    @Override
    public List<ServiceState> services(AppInstance app) {
        return swarm.services(app.stack());
    }

    @Override
    public Optional<String> deployedVersion(AppInstance app) {
        return swarm.versionLabel(app.stack());
    }

    @Override
    public CommandResult exec(AppInstance app, String service, List<String> argv, Optional<String> stdin) {
        return swarm.exec(app.domain(), service, argv, stdin);
    }

    @Override
    public List<String> volumes(AppDomain domain) {
        return swarm.volumes(domain.stackName());
    }

    @Override
    public String logs(AppInstance app, String service, int lines) {
        return swarm.logs(app.stack(), service, lines);
    }

    @Override
    public boolean backupCapable(AppInstance app) {
        return swarm.backupCapable(app.stack());
    }

    @Override
    public Optional<String> backupPath(AppInstance app) {
        return swarm.backupPath(app.stack());
    }

    @Override
    public String taskTable(AppDomain domain) {
        return swarm.taskTable(domain);
    }

    @Override
    public List<String> leftovers(AppDomain domain) {
        return swarm.leftovers(domain);
    }
}
