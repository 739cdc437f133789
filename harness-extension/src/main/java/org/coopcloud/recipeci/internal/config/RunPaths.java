package org.coopcloud.recipeci.internal.config;

import java.nio.file.Path;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * Where a run keeps things on this host, and the domain its apps are named under.
 *
 * @param home the recipe catalogue ({@code <home>/recipes}) and app env files ({@code <home>/servers})
 * @param runsDir where run directories go ({@code <runsDir>/<run id>})
 * @param lockDir app-domain lockfiles, shared with cc-ci
 * @param domainSuffix run apps are {@code <name>.<domainSuffix>}
 */
public record RunPaths(Path home, Path runsDir, Path lockDir, String domainSuffix) {
    public static final String DEFAULT_DOMAIN_SUFFIX = "ci.commoninternet.net";

    public RunPaths {
        if (!domainSuffix.matches("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")) {
            throw new RecipeConfigurationException("recipeci.domain-suffix '" + domainSuffix
                    + "' is not a domain: use dot-separated lowercase labels (e.g. 'ci.example.org')");
        }
    }

    /** {@code home} with its default places: runs in {@code <home>/runs}, locks in {@code /run/lock}. */
    public static RunPaths under(Path home) {
        return new RunPaths(home, home.resolve("runs"), Path.of("/run/lock"), DEFAULT_DOMAIN_SUFFIX);
    }

    public RunPaths withRunsDir(Path dir) {
        return new RunPaths(home, dir, lockDir, domainSuffix);
    }

    public RunPaths withLockDir(Path dir) {
        return new RunPaths(home, runsDir, dir, domainSuffix);
    }
}
