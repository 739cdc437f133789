package org.coopcloud.recipeci.internal.config;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * Where the code under test is fetched from when it is not the catalogue's own repository ({@code recipeci.src}):
 * the clone URL of the repository that holds a pull request, or an absolute path to a local repository.
 *
 * <p>A location never carries credentials: a URL with a user-info part ({@code https://user:token@host/…}) is
 * rejected, and the rejection names the URL with that part masked. The token of a private repository goes through
 * {@code RECIPECI_GIT_TOKEN} or {@code recipeci.git-token-file} instead, which reach git through its environment
 * only.
 *
 * @param location a URL ({@code https}, {@code http}, {@code ssh}, {@code git}, {@code file}), an scp-like
 *     {@code user@host:path}, or an absolute path
 */
public record SourceRepository(String location) {
    private static final Set<String> SCHEMES = Set.of("https", "http", "ssh", "git", "file");
    private static final Pattern URL = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)");
    /** A host name or an IPv4 address, or an IPv6 address in brackets; then an optional port. */
    private static final Pattern HOST_PORT =
            Pattern.compile("(?:[A-Za-z0-9_~][A-Za-z0-9._~-]*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");

    private static final Pattern SCP_LIKE =
            Pattern.compile("(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*:(?!//|:)[^@]+");
    private static final String TOKEN_ADVICE = "pass a token in the environment variable RECIPECI_GIT_TOKEN (or a"
            + " file named by recipeci.git-token-file) instead";

    public SourceRepository {
        if (location.isBlank() || location.chars().anyMatch(c -> Character.isWhitespace(c) || c < 0x20)) {
            throw new RecipeConfigurationException(
                    "recipeci.src must be a clone URL (e.g. https://git.coopcloud.tech/coop-cloud/hello.git) or an"
                            + " absolute path, without spaces or control characters");
        }
        if (location.startsWith("-")) {
            throw new RecipeConfigurationException(
                    "recipeci.src '" + masked(location) + "' starts with '-', which git would"
                            + " read as an option: give the clone URL (e.g. https://git.coopcloud.tech/coop-cloud/hello.git)");
        }
        Matcher url = URL.matcher(location);
        if (url.matches()) {
            // As written: git looks for a transport named after the scheme, so HTTPS:// would find none.
            checkUrl(location, url.group(1), url.group(2));
        } else if (!location.startsWith("/") && !SCP_LIKE.matcher(location).matches()) {
            throw new RecipeConfigurationException(
                    "recipeci.src '" + masked(location) + "' is neither a clone URL nor an"
                            + " absolute path: give the clone URL of the repository that holds the code under test (e.g."
                            + " https://git.coopcloud.tech/coop-cloud/hello.git), or the absolute path of a local clone");
        }
    }

    private static void checkUrl(String location, String scheme, String authority) {
        if (!SCHEMES.contains(scheme)) {
            throw new RecipeConfigurationException("recipeci.src uses the scheme '" + scheme + "', which recipe-ci"
                    + " does not fetch from: use one of https, http, ssh, git or file");
        }
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            // Over HTTP a user-info part is a credential even without a ':' (a token as the user name); over ssh
            // the user name is routine (git@host) and only a password is a credential.
            if (scheme.startsWith("http") || userInfo.contains(":")) {
                throw new RecipeConfigurationException("recipeci.src '" + masked(location) + "' carries credentials"
                        + " in the URL, where logs and process listings would show them: remove them from the URL and "
                        + TOKEN_ADVICE);
            }
        }
        String hostPort = authority.substring(at + 1);
        // file:///path has no host. Anything else must be a plain host: it becomes part of git configuration (the
        // origin the token is scoped to), and ssh would read a host or user starting with '-' as an option.
        boolean noHost = scheme.equals("file") && authority.isEmpty();
        if (!noHost && (!HOST_PORT.matcher(hostPort).matches() || authority.startsWith("-"))) {
            throw new RecipeConfigurationException("recipeci.src '" + masked(location) + "' has no valid host ('"
                    + (at >= 0 ? "***@" : "") + hostPort + "'): give the clone URL as scheme://host[:port]/path"
                    + " (e.g. https://git.coopcloud.tech/coop-cloud/hello.git)");
        }
    }

    /**
     * The origin ({@code https://host[:port]}) of an {@code http} or {@code https} location: the one place git may
     * send the token to. Empty for every other kind of location, which never gets the token.
     */
    public Optional<String> httpOrigin() {
        Matcher url = URL.matcher(location);
        if (!url.matches()) {
            return Optional.empty();
        }
        String scheme = url.group(1);
        return scheme.equals("http") || scheme.equals("https")
                ? Optional.of(scheme + "://" + url.group(2))
                : Optional.empty();
    }

    /**
     * {@code location} fit for a message: the user-info part of a URL (or, in anything else, all before the last
     * {@code @}) replaced by {@code ***}.
     */
    public static String masked(String location) {
        Matcher url = URL.matcher(location);
        if (url.matches()) {
            String authority = url.group(2);
            int at = authority.lastIndexOf('@');
            return at < 0 ? location : url.group(1) + "://***" + authority.substring(at) + url.group(3);
        }
        int at = location.lastIndexOf('@');
        return at < 0 ? location : "***" + location.substring(at);
    }

    @Override
    public String toString() {
        return location;
    }
}
