package org.coopcloud.recipeci;

import java.util.Optional;

/**
 * One swarm service of a deployed app, as last observed.
 *
 * @param name the full service name, e.g. {@code hell-1a2b3c_ci_example_org_app}
 * @param running tasks running now
 * @param desired tasks the service wants
 * @param updateState the service's update state ({@code updating}, {@code completed}, {@code paused}, ...), if an
 *     update ever ran
 */
public record ServiceState(String name, int running, int desired, Optional<String> updateState) {

    /** Replicas all running and no update or rollback in flight; {@code paused} counts as settled. */
    public boolean converged() {
        return desired > 0
                && running == desired
                && updateState
                        .map(s -> !s.equals("updating") && !s.equals("rollback_started"))
                        .orElse(true);
    }

    @Override
    public String toString() {
        return name + " " + running + "/" + desired
                + updateState.map(s -> " (update " + s + ")").orElse("");
    }
}
