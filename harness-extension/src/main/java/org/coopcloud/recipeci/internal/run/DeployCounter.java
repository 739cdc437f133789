package org.coopcloud.recipeci.internal.run;

import java.util.ArrayList;
import java.util.List;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.DeployFailedException;

/**
 * The deploy-once guard: a run creates exactly one app (plus its declared dependencies). A second creation is a
 * harness bug that would double the swarm's load and leave an app nobody tears down, so it fails the run loudly.
 */
final class DeployCounter {
    private final int allowed;
    private final List<AppDomain> created = new ArrayList<>();

    DeployCounter(int dependencies) {
        this.allowed = 1 + dependencies;
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
