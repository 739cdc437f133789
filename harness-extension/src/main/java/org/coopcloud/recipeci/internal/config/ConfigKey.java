package org.coopcloud.recipeci.internal.config;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every configuration key recipe-ci reads, in one table: its {@code recipeci.*} name, a short alias where there is
 * one, the environment variables that set it (most specific first) and what it means. Configuration is read
 * through this table only, so a key that is not in it is a typo: {@link #closest} names the key that was meant.
 */
public enum ConfigKey {
    RECIPE("recipeci.recipe", "recipe", "the recipe to test"),
    VERSION("recipeci.version", null, "a released version of the recipe to deploy (a git tag)"),
    REF("recipeci.ref", null, "a branch, tag, commit or refs/pull/N/head of the code under test"),
    SRC("recipeci.src", null, "the repository to fetch the code under test from", "RECIPECI_SRC", "SRC"),
    GIT_TOKEN_FILE("recipeci.git-token-file", null, "a file holding the token for recipeci.src"),
    PR("recipeci.pr", null, "the pull request's number", "RECIPECI_PR", "PR"),
    STAGES("recipeci.stages", "stages", "the tiers to run", "RECIPECI_STAGES", "STAGES"),
    RUN_ID("recipeci.run-id", null, "names the run directory", "RECIPECI_RUN_ID", "DRONE_BUILD_NUMBER"),
    RUNS_DIR("recipeci.runs-dir", null, "where run directories go"),
    HOME("recipeci.home", null, "the recipe catalogue and app env files (default ~/.recipe-ci)"),
    // cc-ci's own knob, so a host migrating from it keeps one lock directory for both.
    LOCK_DIR("recipeci.lock-dir", null, "app-domain lockfiles", "RECIPECI_LOCK_DIR", "CCCI_APP_LOCK_DIR"),
    DOMAIN_SUFFIX("recipeci.domain-suffix", null, "the domain run apps are named under"),
    DEADLINE("recipeci.deadline", null, "hard deadline of the whole run"),
    TEARDOWN_BUDGET("recipeci.teardown-budget", null, "limit of the whole teardown (under the CI step's grace)"),
    KEEP_ON_FAILURE("recipeci.keep-on-failure", null, "keep a failed run's app for debugging"),
    DRIVER("recipeci.driver", "driver", "the deploy driver (swarm or abra)"),
    FRONT_DOOR(
            "recipeci.front-door",
            null,
            "how test traffic reaches the app: bridge (an edge container on proxy) or traefik (https://<domain>)"),
    HOST_MOUNTS(
            "recipeci.host-mounts",
            null,
            "host paths a recipe may bind-mount, comma-separated (e.g. /var/run/docker.sock); none by default"),
    ABRA_HOME("recipeci.abra-home", null, "abra driver: the canonical abra directory (default ~/.abra)"),
    ABRA_SERVER("recipeci.abra-server", null, "abra driver: the server to deploy to"),
    GITEA_URL("recipeci.gitea.url", null, "report to a pull request on this Gitea server"),
    GITEA_REPO("recipeci.gitea.repo", null, "the pull request's repository (OWNER/NAME)"),
    // The token itself: from the environment only; as a parameter it is refused (the process list shows those).
    GITEA_TOKEN("recipeci.gitea.token", null, "the Gitea token (environment only)"),
    GITEA_TOKEN_FILE("recipeci.gitea.token-file", null, "a file holding the Gitea token"),
    GITEA_SHA("recipeci.gitea.sha", null, "the commit that gets the status"),
    GITEA_CONTEXT("recipeci.gitea.context", null, "the commit-status context"),
    GITEA_TIMEOUT("recipeci.gitea.timeout", null, "limit of each Gitea request"),
    BUILD_URL("recipeci.build-url", null, "the link to the CI build", "RECIPECI_BUILD_URL", "DRONE_BUILD_LINK"),
    CLASS_DATA_ARCHIVE(
            "recipeci.class-data-archive",
            null,
            "the entrypoint JVM's class-data archive, written after a green run when missing or outdated");

    /** Keys under this prefix belong to the project's own tests and are not checked. */
    static final String TEST_PREFIX = "recipeci.it.";

    /**
     * Variables that are read from the environment only (secrets never come as {@code -D} properties, which any user
     * of the host can read in the process list), or that a wrapper sets.
     */
    static final List<String> ENV_ONLY = List.of("RECIPECI_GIT_TOKEN", "RECIPECI_PARENT_PID");

    private final String key;
    private final String alias;
    private final String meaning;
    private final List<String> envNames;

    ConfigKey(String key, String alias, String meaning, String... envNames) {
        this.key = key;
        this.alias = alias;
        this.meaning = meaning;
        this.envNames = envNames.length > 0 ? List.of(envNames) : List.of(defaultEnvName(key));
    }

    public String key() {
        return key;
    }

    public Optional<String> alias() {
        return Optional.ofNullable(alias);
    }

    public String meaning() {
        return meaning;
    }

    /** The environment variables read for this key, most specific first. */
    public List<String> envNames() {
        return envNames;
    }

    @Override
    public String toString() {
        return key;
    }

    /** {@code recipeci.gitea.url} reads {@code RECIPECI_GITEA_URL}. */
    private static String defaultEnvName(String key) {
        return "RECIPECI_"
                + key.substring("recipeci.".length())
                        .toUpperCase(Locale.ROOT)
                        .replace('-', '_')
                        .replace('.', '_');
    }

    /**
     * The settings of one deploy driver: the rows named {@code recipeci.<driver>-<setting>} (e.g.
     * {@code recipeci.abra-home}). The core reads them for the driver in use and hands them over in
     * {@link DriverSettings}, without knowing what they mean.
     */
    public static List<ConfigKey> settingsOf(String driver) {
        return Arrays.stream(values())
                .filter(k -> k.key.startsWith("recipeci." + driver + "-"))
                .toList();
    }

    static Optional<ConfigKey> named(String key) {
        return Arrays.stream(values())
                .filter(k -> k.key.equals(key) || key.equals(k.alias))
                .findFirst();
    }

    static boolean knownEnvName(String name) {
        return ENV_ONLY.contains(name)
                || Arrays.stream(values()).anyMatch(k -> k.envNames.get(0).equals(name));
    }

    /** The known key or variable nearest to {@code unknown} (by edit distance), for a "did you mean" message. */
    static String closest(String unknown) {
        boolean env = !unknown.contains(".");
        Stream<String> candidates = env
                ? Stream.concat(Arrays.stream(values()).map(k -> k.envNames.get(0)), ENV_ONLY.stream())
                : Arrays.stream(values()).map(k -> k.key);
        return candidates
                .min(Comparator.comparingInt(c -> distance(c, unknown)))
                .orElseThrow();
    }

    /**
     * The edit distance between two names, for "did you mean" messages: insertions, deletions, substitutions and
     * swaps of two neighbouring letters (ntoes for notes) count one each (optimal string alignment).
     */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
