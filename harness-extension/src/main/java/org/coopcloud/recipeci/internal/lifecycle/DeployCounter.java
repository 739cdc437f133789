package org.coopcloud.recipeci.internal.lifecycle;

import java.util.ArrayList;
import java.util.List;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;

/**
 * The deploy-once guard: a run creates exactly one app (plus its declared dependencies). A second creation is a
 * harness bug that would double the swarm's load and leave an app nobody tears down, so it fails the run loudly.
 */
final class DeployCounter {
    /** One count per run directory in this JVM: a second run handle of the same run shares it. */
    private static final java.util.Map<java.nio.file.Path, DeployCounter> BY_RUN =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final int allowed;
    private final List<AppDomain> created = new ArrayList<>();

    DeployCounter(int dependencies) {
        this.allowed = 1 + dependencies;
    }

    /** The counter of the run in {@code runDir}; created with the allowance on first use. */
    static DeployCounter forRun(java.nio.file.Path runDir, int dependencies) {
        return BY_RUN.computeIfAbsent(runDir.toAbsolutePath().normalize(), k -> new DeployCounter(dependencies));
    }

    synchronized void recordCreation(AppDomain domain) {
        if (created.size() >= allowed) {
            throw new DeployFailedException("this run already created " + created + " and now tries to create "
                    + domain + ": one run deploys one app (plus " + (allowed - 1) + " declared dependencies) — this"
                    + " is a recipe-ci bug, please report it");
        }
        created.add(domain);
    }

    synchronized List<AppDomain> created() {
        return List.copyOf(created);
    }
}
