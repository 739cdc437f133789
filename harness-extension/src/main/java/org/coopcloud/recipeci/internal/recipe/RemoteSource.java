package org.coopcloud.recipeci.internal.recipe;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.SourceRepository;
import org.coopcloud.recipeci.internal.process.CommandResult;

/**
 * The code under test taken from {@code recipeci.src} (the repository that holds a pull request) instead of the
 * catalogue's repository.
 *
 * <p>Validation is one {@code git ls-remote}: it proves the repository answers, that the credentials are accepted,
 * and that the ref exists (a branch, a tag, a full ref such as {@code refs/pull/12/head}; a commit id can only be
 * checked by fetching it, so it is taken on trust until the checkout).
 *
 * <p>The checkout clones the repository into the run's directory and fetches the ref explicitly, since a clone
 * brings branches and tags but not {@code refs/pull/*}. Releases are the catalogue's: a fork's tags are whatever its
 * owner pushed (stale, moved, or a version that was never released), so when the catalogue has the recipe the clone
 * takes no tags from the source and gets the catalogue's instead. The upgrade tier then starts from a real release,
 * the one the pull request builds on ({@code git describe} finds it when the histories are shared). Only a recipe
 * the catalogue lacks takes its releases from the source's own tags; without any, it has none and the upgrade tier
 * reports that.
 */
final class RemoteSource {
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
    static final Duration FETCH_TIMEOUT = Duration.ofMinutes(5);
    /** Where the fetched ref is kept in the run's clone. */
    static final String UNDER_TEST = "refs/recipe-ci/under-test";

    /** A URL git quotes in a message ({@code for 'https://host/repo.git/'}): scheme and authority. */
    private static final Pattern QUOTED_HTTP_URL = Pattern.compile("'(https?)://([^/'\\s]+)[^']*'");

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,40}");
    private static final Pattern DENIED = Pattern.compile(
            "(?i).*(authentication failed|could not read (username|password)|terminal prompts disabled"
                    + "|\\b40[13]\\b|permission denied|access denied|not authorized).*",
            Pattern.DOTALL);

    private final RecipeCatalogue catalogue;
    private final Git git;

    RemoteSource(RecipeCatalogue catalogue, Git git) {
        this.catalogue = catalogue;
        this.git = git;
    }

    /**
     * Checks that {@code src} answers with these credentials and has what the configuration asks for.
     *
     * @throws RecipeConfigurationException saying what is wrong and how to fix it; never containing the token
     */
    Optional<String> validate(CodeUnderTest code, SourceRepository src) {
        Map<String, String> refs = refs(src);
        if (code.ref().isEmpty() && code.version().isEmpty() && !refs.containsKey("HEAD")) {
            throw new RecipeConfigurationException("recipeci.src " + src + " has no default branch: name the code"
                    + " under test with recipeci.ref (a branch, tag, refs/pull/N/head or commit)");
        }
        code.ref().ifPresent(ref -> {
            if (!advertises(refs, ref) && !COMMIT.matcher(ref).matches()) {
                throw new RecipeConfigurationException("recipeci.src " + src + " has no branch, tag or ref '" + ref
                        + "' (" + summary(refs) + "): use one of these, a full ref such as refs/pull/12/head, or a"
                        + " commit id");
            }
        });
        code.version().ifPresent(version -> {
            List<Version> released = releases(code.recipe(), refs);
            if (!released.contains(version)) {
                throw new RecipeConfigurationException("recipe '" + code.recipe() + "' has no version '" + version
                        + "' in " + src + " (released: "
                        + String.join(
                                ", ", released.stream().map(Version::value).toList())
                        + "): pick one of these, or name the code under test with recipeci.ref");
            }
        });
        return commitNamed(refs, code);
    }

    /**
     * The commit the run will test: a release as the catalogue has it (when the catalogue holds the recipe, its tags
     * are the releases), else what {@code src} advertises for REF, or a full commit id REF names.
     */
    private Optional<String> commitNamed(Map<String, String> refs, CodeUnderTest code) {
        if (code.version().isPresent()) {
            return catalogue.holds(code.recipe())
                    ? Optional.of(catalogue.commitInCatalogue(code))
                    : Optional.ofNullable(
                            refs.get("refs/tags/" + code.version().get().value()));
        }
        String ref = code.ref().orElse("HEAD");
        if (ref.matches("[0-9a-f]{40}")) {
            return Optional.of(ref);
        }
        return Stream.of(ref, "refs/heads/" + ref, "refs/tags/" + ref)
                .map(refs::get)
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** Clones {@code src} into {@code dest} and checks out the code under test. */
    RecipeSource checkout(CodeUnderTest code, SourceRepository src, Path dest) {
        validate(code, src);
        RecipeCatalogue.createParent(dest);
        boolean catalogued = catalogue.holds(code.recipe());
        List<String> cloneArgs = new ArrayList<>(List.of("clone", "--quiet", "--no-checkout"));
        if (catalogued) {
            cloneArgs.add("--no-tags");
        }
        cloneArgs.addAll(List.of("--", src.location(), dest.toString()));
        CommandResult clone = git.remote(dest.getParent(), FETCH_TIMEOUT, cloneArgs.toArray(String[]::new));
        if (!clone.ok()) {
            throw unreadable(src, clone);
        }
        if (catalogued) {
            git.local(
                            dest,
                            "fetch",
                            "--quiet",
                            "--no-tags",
                            catalogue.repository(code.recipe()).toAbsolutePath().toString(),
                            "+refs/tags/*:refs/tags/*")
                    .orThrow();
        }
        String target = code.version().map(Version::value).or(code::ref).orElse("HEAD");
        String commit = resolve(src, dest, code.version().isPresent(), target);
        git.local(dest, "checkout", "--quiet", "--detach", commit).orThrow();
        return catalogue.underTest(code, dest, target, catalogue.versionsIn(dest));
    }

    private String resolve(SourceRepository src, Path dest, boolean isVersion, String target) {
        String rev = isVersion ? "refs/tags/" + target : target;
        if (isVersion || target.equals("HEAD") || COMMIT.matcher(target).matches()) {
            CommandResult local = git.local(dest, "rev-parse", "--verify", "--quiet", rev + "^{commit}");
            if (local.ok()) {
                return local.stdout().strip();
            }
        }
        // Branches, tags and refs/pull/* alike; and a commit the clone did not bring (protocol v2 serves it).
        CommandResult fetch = git.remote(
                dest, FETCH_TIMEOUT, "fetch", "--quiet", "--no-tags", "origin", "+" + rev + ":" + UNDER_TEST);
        if (!fetch.ok()) {
            if (fetch.timedOut() || DENIED.matcher(fetch.stderr()).matches()) {
                throw unreadable(src, fetch);
            }
            // git fetches a commit by its full id only; the clone has just what branches and tags reach.
            throw COMMIT.matcher(target).matches() && target.length() < 40
                    ? new RecipeConfigurationException("recipeci.src " + src + " has no commit or ref '" + target
                            + "' on its branches or tags (git: " + gitError(fetch) + "): for a commit elsewhere (a"
                            + " pull request's head), give the full 40-character commit id or its ref (e.g."
                            + " refs/pull/12/head)")
                    : new RecipeConfigurationException("recipeci.src " + src + " has no commit or ref '" + target
                            + "' (git: " + gitError(fetch) + "): use a branch, tag, full ref or commit id that"
                            + " exists there");
        }
        return git.local(dest, "rev-parse", "--verify", UNDER_TEST + "^{commit}")
                .orThrow()
                .stdout()
                .strip();
    }

    /** The refs {@code src} advertises, by name ({@code HEAD}, {@code refs/heads/main}, …) to commit id. */
    private Map<String, String> refs(SourceRepository src) {
        CommandResult listing = git.remote(
                Path.of(System.getProperty("java.io.tmpdir")), PROBE_TIMEOUT, "ls-remote", "--", src.location());
        if (!listing.ok()) {
            throw unreadable(src, listing);
        }
        Map<String, String> refs = new LinkedHashMap<>();
        listing.stdout()
                .lines()
                .map(line -> line.split("\t", 2))
                .filter(parts -> parts.length == 2)
                // An annotated tag comes as two lines, the tag object then "<tag>^{}" with its commit: keep the commit.
                .forEach(parts -> refs.put(parts[1].strip().replace("^{}", ""), parts[0].strip()));
        if (refs.isEmpty()) {
            throw new RecipeConfigurationException("recipeci.src " + src + " is an empty repository: push the code"
                    + " under test there, or check the URL");
        }
        return refs;
    }

    private static boolean advertises(Map<String, String> refs, String ref) {
        return refs.containsKey(ref) || refs.containsKey("refs/heads/" + ref) || refs.containsKey("refs/tags/" + ref);
    }

    /** The releases of the recipe: the catalogue's, else (a recipe it lacks) the version tags {@code src} has. */
    private List<Version> releases(RecipeName recipe, Map<String, String> refs) {
        if (catalogue.holds(recipe)) {
            return catalogue.versions(recipe);
        }
        return RecipeCatalogue.versionsOf(refs.keySet().stream()
                .filter(r -> r.startsWith("refs/tags/"))
                .map(r -> r.substring("refs/tags/".length())));
    }

    private static String summary(Map<String, String> refs) {
        List<String> branches = names(refs, "refs/heads/");
        List<String> tags = names(refs, "refs/tags/");
        long pulls =
                refs.keySet().stream().filter(r -> r.startsWith("refs/pull/")).count();
        return "branches: " + (branches.isEmpty() ? "none" : String.join(", ", branches))
                + (tags.isEmpty() ? "" : "; tags: " + String.join(", ", tags))
                + (pulls == 0 ? "" : "; " + pulls + " refs under refs/pull/");
    }

    private static List<String> names(Map<String, String> refs, String prefix) {
        List<String> all = refs.keySet().stream()
                .filter(r -> r.startsWith(prefix))
                .map(r -> r.substring(prefix.length()))
                .toList();
        return all.size() <= 12
                ? all
                : List.of(String.join(", ", all.subList(0, 12)), "… " + (all.size() - 12) + " more");
    }

    /** SRC did not answer, refused the credentials, or is not a repository; git's output is already scrubbed. */
    private RecipeConfigurationException unreadable(SourceRepository src, CommandResult result) {
        String why = gitError(result);
        if (result.timedOut()) {
            return new RecipeConfigurationException("recipeci.src " + src + " did not answer within "
                    + result.command().timeout().toSeconds() + " s: check the URL and that this host can reach it");
        }
        Optional<String> elsewhere = redirectedOrigin(src, result.stderr());
        if (elsewhere.isPresent()) {
            return new RecipeConfigurationException("recipeci.src " + src + " redirects to another origin ("
                    + elsewhere.get() + "), which recipe-ci never sends the token to (git: " + why + "): use that URL"
                    + " (the repository's current clone URL) as recipeci.src");
        }
        if (DENIED.matcher(result.stderr()).matches()) {
            if (git.credentials().sendsToken()) {
                return new RecipeConfigurationException("recipeci.src " + src + " refused "
                        + git.credentials().origin() + " (git: " + why + "): check that the token is valid and may"
                        + " read the repository");
            }
            if (src.httpOrigin().isEmpty()) {
                return new RecipeConfigurationException("recipeci.src " + src + " needs credentials (git: " + why
                        + "): a token is only used with an https clone URL; give that URL (with "
                        + GitCredentials.TOKEN_ENV + "), or let this host's own ssh key read the repository");
            }
            return new RecipeConfigurationException("recipeci.src " + src + " needs credentials (git: " + why
                    + "): set " + GitCredentials.TOKEN_ENV
                    + " to a token that may read it, or name a file holding one in recipeci.git-token-file");
        }
        return new RecipeConfigurationException("recipeci.src " + src + " cannot be read (git: " + why + "): check"
                + " that it is the clone URL of the repository (or the path of a local clone) and that this host can"
                + " reach it");
    }

    /**
     * The origin of a URL in git's output that is not {@code src}'s own: where {@code src} redirected git (git names
     * the URL it was at when it failed).
     */
    private static Optional<String> redirectedOrigin(SourceRepository src, String stderr) {
        Optional<String> own = src.httpOrigin().map(RemoteSource::normalOrigin);
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Matcher url = QUOTED_HTTP_URL.matcher(stderr);
        while (url.find()) {
            String origin = url.group(1) + "://" + url.group(2);
            if (!normalOrigin(origin).equals(own.get())) {
                return Optional.of(origin);
            }
        }
        return Optional.empty();
    }

    /** {@code scheme://host[:port]} lowercased, without user info or the scheme's default port. */
    private static String normalOrigin(String origin) {
        String lower = origin.toLowerCase(Locale.ROOT);
        int scheme = lower.indexOf("://") + 3;
        String hostPort =
                lower.substring(scheme).substring(lower.substring(scheme).lastIndexOf('@') + 1);
        String prefix = lower.substring(0, scheme);
        if ((prefix.equals("https://") && hostPort.endsWith(":443"))
                || (prefix.equals("http://") && hostPort.endsWith(":80"))) {
            hostPort = hostPort.substring(0, hostPort.lastIndexOf(':'));
        }
        return prefix + hostPort;
    }

    /** git's own reason: its last {@code fatal:} line, else the first line it printed. */
    private static String gitError(CommandResult result) {
        List<String> lines = Arrays.asList(result.stderr().strip().split("\n"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("fatal: ")) {
                return lines.get(i).substring("fatal: ".length()).strip();
            }
        }
        return result.firstLine();
    }
}
