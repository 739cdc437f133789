package org.coopcloud.recipeci;

/**
 * The host failed, not the recipe: a disk full or read-only, the Docker daemon unreachable or not answering, git
 * unable to write. Tiers that end with it are reported {@code unverified} with the host's cause — never as the
 * recipe's failure — and a rerun on a healthy host decides them.
 */
public class HostFaultException extends RecipeCiException {
    private static final long serialVersionUID = 1L;

    public HostFaultException(String message) {
        super(message);
    }

    public HostFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
