package org.coopcloud.recipeci.internal.recipe;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;

/**
 * A recipe checked out in the run's own directory at the code under test.
 *
 * @param ref what was asked for (a version tag, a branch, a commit, or HEAD)
 * @param requestedVersion the release the run was asked to deploy, if it was asked for one
 * @param exactVersion the release tag on the checked-out commit, if it is a release
 * @param baseVersion the release the code under test is (or builds on): the exact tag, else the nearest tag
 * @param released every released version of the recipe, oldest first
 */
public record RecipeSource(
        RecipeName recipe,
        Path workTree,
        String ref,
        Optional<Version> requestedVersion,
        String commit,
        Optional<Version> exactVersion,
        Optional<Version> baseVersion,
        List<Version> released) {

    public RecipeSource {
        released = List.copyOf(released);
    }

    /**
     * The version label the deployed app should carry: the requested release, else the release the code under test
     * is, else the release it builds on.
     */
    public String expectedVersionLabel() {
        return requestedVersion
                .or(() -> baseVersion)
                .map(Version::value)
                .orElse(commit.substring(0, Math.min(8, commit.length())));
    }

    public String shortCommit() {
        return commit.substring(0, Math.min(8, commit.length()));
    }
}
