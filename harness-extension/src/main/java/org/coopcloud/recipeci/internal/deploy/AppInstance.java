package org.coopcloud.recipeci.internal.deploy;

import java.nio.file.Path;
import java.util.List;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.StackName;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * An app created on the swarm for this run. Secret values are not here: see {@link RunSecrets}.
 *
 * @param envFile the app's env file (removed at teardown)
 * @param secretNames the swarm secrets created for the app
 */
public record AppInstance(RecipeName recipe, AppDomain domain, Path envFile, AppEnv env, List<String> secretNames) {

    public AppInstance {
        secretNames = List.copyOf(secretNames);
    }

    public StackName stack() {
        return domain.stackName();
    }
}
