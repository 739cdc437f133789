package org.coopcloud.recipeci.internal.config;

import java.nio.file.Path;
import java.util.Optional;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;

/**
 * What a run tests: a recipe, at a released version or a git ref (neither: the default branch), from the catalogue
 * or from another repository ({@code src}, a pull request's), for a pull request ({@code pr}, {@code 0} for none).
 *
 * @param gitTokenFile a file holding the token for {@code src}; without it the token comes from the environment
 *     variable {@code RECIPECI_GIT_TOKEN}. The token itself is never part of the configuration.
 */
public record CodeUnderTest(
        RecipeName recipe,
        Optional<Version> version,
        Optional<String> ref,
        Optional<SourceRepository> src,
        Optional<Path> gitTokenFile,
        String pr) {

    public CodeUnderTest {
        if (version.isPresent() && ref.isPresent()) {
            throw new RecipeConfigurationException("both recipeci.version (" + version.get() + ") and recipeci.ref ("
                    + ref.get() + ") are set: choose one — a released version or a git ref of the code under test");
        }
        ref.ifPresent(CodeUnderTest::checkRef);
        if (!pr.matches("[A-Za-z0-9._-]{1,40}")) {
            throw new RecipeConfigurationException(
                    "recipeci.pr '" + pr + "' is not a pull-request id: use the PR number");
        }
    }

    /** The catalogue's default branch of {@code recipe}, outside any pull request. */
    public static CodeUnderTest defaultBranch(RecipeName recipe) {
        return new CodeUnderTest(recipe, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "0");
    }

    /** A dependency of the recipe under test: its catalogue's default branch, for the same pull request. */
    public CodeUnderTest dependency(RecipeName dependency) {
        return new CodeUnderTest(
                dependency, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), pr);
    }

    public CodeUnderTest atRef(String gitRef) {
        return new CodeUnderTest(recipe, Optional.empty(), Optional.of(gitRef), src, gitTokenFile, pr);
    }

    public CodeUnderTest atVersion(Version released) {
        return new CodeUnderTest(recipe, Optional.of(released), Optional.empty(), src, gitTokenFile, pr);
    }

    public CodeUnderTest from(SourceRepository repository, Optional<Path> tokenFile) {
        return new CodeUnderTest(recipe, version, ref, Optional.of(repository), tokenFile, pr);
    }

    public CodeUnderTest forPullRequest(String number) {
        return new CodeUnderTest(recipe, version, ref, src, gitTokenFile, number);
    }

    private static void checkRef(String ref) {
        if (!ref.matches("[A-Za-z0-9][A-Za-z0-9._/+-]{0,199}") || ref.contains("..")) {
            throw new RecipeConfigurationException("recipeci.ref '" + ref + "' is not a git ref: use a branch, tag or"
                    + " commit id (letters, digits, '.', '_', '/', '+', '-')");
        }
    }
}
