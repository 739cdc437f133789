package org.coopcloud.recipeci.internal.report.gitea;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.ConfigKey;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;

/**
 * Where and how a run reports to its pull request on a Gitea server: base URL, repository, pull-request number,
 * token, the commit that gets the status, the build link and the status context. Reporting is off unless
 * {@code recipeci.gitea.url} is set; once it is, every other value must be usable, or the run stops with a
 * configuration error before it deploys anything. Values are checked in the constructor; tests build it directly.
 *
 * @param baseUrl the server, without {@code /api/v1} and without a trailing slash
 * @param pullRequest the pull request's number (its issue index)
 * @param sha the commit that gets the status; when absent, the pull request's head at the start of the run
 * @param buildUrl the link to the CI build, for the status and the comment
 * @param context the commit-status context: one line per context on the pull request
 * @param timeout connect and response limit of each request
 */
public record GiteaConfig(
        URI baseUrl,
        String owner,
        String repo,
        long pullRequest,
        GiteaToken token,
        Optional<String> sha,
        Optional<URI> buildUrl,
        String context,
        Duration timeout) {

    public static final String TOKEN_ENV = "RECIPECI_GITEA_TOKEN";
    public static final String DEFAULT_CONTEXT = "recipe-ci";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final String NAME = "[A-Za-z0-9_.-]{1,100}";

    public GiteaConfig {
        baseUrl = normalise(baseUrl);
        if (!owner.matches(NAME) || !repo.matches(NAME) || owner.matches("\\.+") || repo.matches("\\.+")) {
            throw new RecipeConfigurationException("recipeci.gitea.repo '" + owner + "/" + repo + "' is not a Gitea"
                    + " repository: use OWNER/NAME with letters, digits, '-', '_' and '.' (e.g. coop-cloud/hello)");
        }
        if (pullRequest < 1) {
            throw new RecipeConfigurationException("recipeci.gitea.url is set, so the run reports to a pull request,"
                    + " but there is none: set PR (or recipeci.pr) to the pull request's number, or unset"
                    + " recipeci.gitea.url to run without reporting");
        }
        sha = sha.map(s -> s.toLowerCase(Locale.ROOT));
        sha.filter(s -> !s.matches("[0-9a-f]{40}|[0-9a-f]{64}")).ifPresent(s -> {
            throw new RecipeConfigurationException("recipeci.gitea.sha '" + s + "' is not a full commit id: use the"
                    + " 40 hex digits (`git rev-parse HEAD`), or leave it unset to use the pull request's head");
        });
        buildUrl.ifPresent(u -> checkHttp("recipeci.build-url", u));
        if (context.isBlank() || context.length() > 200 || !context.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw new RecipeConfigurationException("recipeci.gitea.context '" + context + "' is not a status context:"
                    + " use one line of at most 200 characters (default '" + DEFAULT_CONTEXT + "')");
        }
        if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new RecipeConfigurationException("recipeci.gitea.timeout " + timeout.toMillis() + " ms is out of"
                    + " range: give each Gitea request between 100 ms and 60 s (default 5s)");
        }
    }

    /**
     * The reporting configuration of a run, absent when {@code recipeci.gitea.url} is unset. The token is read from
     * the file named by {@code recipeci.gitea.token-file} or, without one, from {@value #TOKEN_ENV}; never from a
     * {@code -D} property, which any user of the host could read in the process list.
     *
     * @throws RecipeConfigurationException naming the knob to fix
     */
    public static Optional<GiteaConfig> resolve(ConfigSource source, Map<String, String> env, RunConfig run) {
        Optional<String> url = source.lookup(ConfigKey.GITEA_URL);
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String repo = source.lookup(ConfigKey.GITEA_REPO)
                .orElse("coop-cloud/" + run.recipe().value());
        int slash = repo.indexOf('/');
        if (slash < 0) {
            throw new RecipeConfigurationException("recipeci.gitea.repo '" + repo + "' names no owner: use"
                    + " OWNER/NAME (e.g. coop-cloud/" + run.recipe().value() + ")");
        }
        return Optional.of(new GiteaConfig(
                uri("recipeci.gitea.url", url.get()),
                repo.substring(0, slash),
                repo.substring(slash + 1),
                pullRequest(run.code().pr()),
                token(source, env),
                source.lookup(ConfigKey.GITEA_SHA),
                source.lookup(ConfigKey.BUILD_URL)
                        .or(() ->
                                Optional.ofNullable(env.get("DRONE_BUILD_LINK")).filter(s -> !s.isBlank()))
                        .map(u -> uri("recipeci.build-url", u.strip())),
                source.lookup(ConfigKey.GITEA_CONTEXT).orElse(DEFAULT_CONTEXT),
                source.lookup(ConfigKey.GITEA_TIMEOUT)
                        .map(GiteaConfig::parseTimeout)
                        .orElse(DEFAULT_TIMEOUT)));
    }

    /** {@code path} under the API root, e.g. {@code /repos/o/r/pulls/1}. */
    URI api(String path) {
        return URI.create(baseUrl + "/api/v1" + path);
    }

    /** {@code /repos/OWNER/NAME}, the prefix of every call a run makes. */
    String repoPath() {
        return "/repos/" + owner + "/" + repo;
    }

    private static long pullRequest(String pr) {
        if (!pr.matches("\\d{1,12}")) {
            throw new RecipeConfigurationException("recipeci.pr '" + pr + "' is not a pull-request number, and"
                    + " reporting to Gitea needs one: set PR to the number (e.g. 12), or unset recipeci.gitea.url");
        }
        return Long.parseLong(pr);
    }

    private static GiteaToken token(ConfigSource source, Map<String, String> env) {
        Optional<String> fromEnv = Optional.ofNullable(env.get(TOKEN_ENV))
                .filter(s -> !s.isBlank())
                .map(String::strip);
        // The lookup answers a -D property before the environment: anything other than the env value is one. Under
        // Maven the property never reaches the harness (the pom forwards no token), but Maven's command line says it.
        if (!source.lookup(ConfigKey.GITEA_TOKEN).equals(fromEnv) || source.given(ConfigKey.GITEA_TOKEN.key())) {
            throw new RecipeConfigurationException("recipeci.gitea.token is set as a parameter, where the process"
                    + " list shows it: remove it and put the token in " + TOKEN_ENV
                    + " or in a file named by recipeci.gitea.token-file");
        }
        Optional<String> file = source.lookup(ConfigKey.GITEA_TOKEN_FILE);
        if (file.isPresent()) {
            return GiteaToken.parse(readTokenFile(Path.of(file.get())), "the file " + file.get());
        }
        return GiteaToken.parse(
                fromEnv.orElseThrow(() -> new RecipeConfigurationException("recipeci.gitea.url is set but there is"
                        + " no token: set " + TOKEN_ENV + " (in Drone: from_secret) or recipeci.gitea.token-file to"
                        + " a Gitea access token that may write issues and commit statuses of the repository")),
                TOKEN_ENV);
    }

    private static String readTokenFile(Path file) {
        try {
            if (Files.size(file) > 4096) {
                throw new RecipeConfigurationException("recipeci.gitea.token-file " + file + " is "
                        + Files.size(file) + " bytes, far more than a token: name the file that holds only the"
                        + " Gitea access token");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecipeConfigurationException("recipeci.gitea.token-file " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + "): check the path and that the CI user may read it");
        }
    }

    private static URI uri(String key, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new RecipeConfigurationException(
                    key + " " + shown(text) + " is not a URL: use e.g. https://git.coopcloud.tech");
        }
    }

    /** A URL for a message, unless it may carry credentials (a user part, a query such as ?token=). */
    private static String shown(Object url) {
        String text = String.valueOf(url);
        return text.matches("[^@?#]*") ? "'" + text + "'" : "(not shown: it may carry credentials)";
    }

    private static URI normalise(URI url) {
        checkHttp("recipeci.gitea.url", url);
        checkTokenStaysOffTheWire(url);
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new RecipeConfigurationException("recipeci.gitea.url has a query or fragment: give only the"
                    + " server's base URL (e.g. https://git.coopcloud.tech); the token goes in " + TOKEN_ENV);
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        path = path.endsWith("/api/v1") ? path.substring(0, path.length() - "/api/v1".length()) : path;
        return URI.create(url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority() + path);
    }

    /**
     * Plain {@code http} would send the token across the network in clear; it is accepted only to this machine
     * (a tunnel, a test server). Decided on the name alone: nothing is resolved while the configuration is read.
     */
    private static void checkTokenStaysOffTheWire(URI url) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        boolean loopback = host.equals("localhost")
                || host.matches("127(\\.\\d{1,3}){3}")
                || host.equals("[::1]")
                || host.equals("::1");
        if (url.getScheme().equalsIgnoreCase("http") && !loopback) {
            throw new RecipeConfigurationException("recipeci.gitea.url " + shown(url) + " is plain http to another"
                    + " host: the token would cross the network in clear. Use https (e.g. https://" + host
                    + "); http is accepted only to this machine (localhost, 127.0.0.1, [::1])");
        }
    }

    private static void checkHttp(String key, URI url) {
        if (url.getRawUserInfo() != null) {
            // A user:password part would be printed wherever the URL is.
            throw new RecipeConfigurationException(key + " carries credentials in the URL, which would show in log"
                    + " lines: remove them (the Gitea token goes in " + TOKEN_ENV + ")");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new RecipeConfigurationException(
                    key + " " + shown(url) + " is not an http(s) URL: use e.g. https://git.coopcloud.tech");
        }
    }

    private static Duration parseTimeout(String text) {
        Matcher m = Pattern.compile("(\\d{1,6})\\s*(ms|s)").matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new RecipeConfigurationException(
                    "recipeci.gitea.timeout '" + text + "' is not a duration: use e.g. 5s or 800ms");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2).equals("ms") ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    }
}
