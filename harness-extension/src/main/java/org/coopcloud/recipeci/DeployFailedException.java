package org.coopcloud.recipeci;

/**
 * The app could not be deployed, or did not become healthy. The message carries the evidence (task table, task
 * errors); every tier that needs the app fails with this cause instead of deploying again.
 */
public class DeployFailedException extends RecipeCiException {
    private static final long serialVersionUID = 1L;

    public DeployFailedException(String message) {
        super(message);
    }

    public DeployFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
