package org.coopcloud.recipeci.internal.recipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.SourceRepository;
import org.coopcloud.recipeci.internal.secret.RunSecrets;

/**
 * The token for a private source repository, and the way git is started so that it uses that token and nothing
 * else.
 *
 * <p>The token reaches git only through the child's environment ({@value #TOKEN_ENV}). A credential helper given as
 * configuration on git's command line reads it from there: the helper's text names the variable, never the value,
 * so the argv that the command log records and that {@code ps} shows carries no secret. The helper is scoped to the
 * source's HTTP origin ({@code credential.<origin>.helper}): git asks it only for that scheme, host and port, so a
 * redirect to another host (or from https to http) gets no token. A source that is not an http(s) URL gets no
 * token at all. Every other credential helper (system, global, per-URL), askpass program and terminal prompt is
 * switched off, so a missing or wrong token fails fast with git's own message instead of waiting for input.
 *
 * <p>The token comes from the file named by {@code recipeci.git-token-file} when that is set (a parameter beats the
 * environment, as everywhere), else from {@value #TOKEN_ENV}. It is never part of the configuration.
 */
public final class GitCredentials {
    /** The environment variable that holds the token, in the harness's environment and in git's. */
    public static final String TOKEN_ENV = "RECIPECI_GIT_TOKEN";
    /** Forges that take a token as the password accept any user name with it (Gitea, Forgejo, GitHub, GitLab). */
    static final String USER_NAME = "recipe-ci";
    /** git calls the helper with get, store or erase; only get answers, and with nothing but this pair. */
    static final String HELPER = "!f() { test \"$1\" = get || return 0; echo username=" + USER_NAME
            + "; printf 'password=%s\\n' \"$" + TOKEN_ENV + "\"; }; f";

    private static final Pattern URL_USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s@]+@");

    private final Optional<String> token;
    private final String origin;
    private final Optional<String> scope;

    private GitCredentials(Optional<String> token, String origin, Optional<String> scope) {
        this.token = token;
        this.origin = origin;
        this.scope = scope;
    }

    /** No token: git gets no credentials, and asks for none. */
    public static GitCredentials none() {
        return new GitCredentials(Optional.empty(), "no token", Optional.empty());
    }

    /**
     * The token of this run: the content of {@code recipeci.git-token-file}, else {@value #TOKEN_ENV} from {@code env}.
     * None when the run has no {@code recipeci.src}: a token is for nothing else, and a host-wide token file that
     * is missing must not stop runs that do not need it.
     *
     * @throws RecipeConfigurationException when the file cannot be read or the token is not one line; the message
     *     never contains the token
     */
    public static GitCredentials resolve(CodeUnderTest code, Map<String, String> env) {
        if (code.src().isEmpty()) {
            return none();
        }
        if (code.gitTokenFile().isPresent()) {
            Path file = code.gitTokenFile().get();
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new RecipeConfigurationException("recipeci.git-token-file " + file + " cannot be read ("
                        + e.getClass().getSimpleName() + "): point it at a readable file that holds the token");
            }
            return of(
                    text,
                    "the token in recipeci.git-token-file " + file,
                    code.src().get());
        }
        return Optional.ofNullable(env.get(TOKEN_ENV))
                .filter(t -> !t.isBlank())
                .map(t -> of(t, "the token in " + TOKEN_ENV, code.src().get()))
                .orElseGet(GitCredentials::none);
    }

    private static GitCredentials of(String text, String origin, SourceRepository src) {
        String token = text.strip();
        if (token.isEmpty()) {
            throw new RecipeConfigurationException(origin + " is empty: put the token (one line) there");
        }
        if (token.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new RecipeConfigurationException(
                    origin + " contains spaces or control characters: it must be the" + " token alone, on one line");
        }
        return new GitCredentials(Optional.of(token), origin, src.httpOrigin());
    }

    /** The token, to be registered with the run's secrets so logs and reports are redacted and scanned for it. */
    public Optional<String> token() {
        return token;
    }

    /** Whether git is handed the token: there is one, and the source is an http(s) URL. */
    public boolean sendsToken() {
        return token.isPresent() && scope.isPresent();
    }

    /** The only origin ({@code https://host[:port]}) git sends the token to; empty when it sends none. */
    Optional<String> scope() {
        return sendsToken() ? scope : Optional.empty();
    }

    /** Where the token came from, for messages: {@code "the token in RECIPECI_GIT_TOKEN"} or {@code "no token"}. */
    public String origin() {
        return origin;
    }

    /** The {@code -c} options that go between {@code git} and its subcommand. No secret is among them. */
    List<String> options() {
        List<String> options = new ArrayList<>();
        // The empty value first: it clears every helper configured so far (system, global, per-URL).
        options.addAll(List.of("-c", "credential.helper="));
        scope().ifPresent(origin -> options.addAll(List.of("-c", "credential." + origin + ".helper=" + HELPER)));
        options.addAll(List.of(
                "-c",
                "core.askPass=",
                "-c",
                "credential.interactive=false",
                "-c",
                // GIT_SSH_COMMAND, when the host sets one, still wins over this.
                "core.sshCommand=ssh -o BatchMode=yes"));
        return options;
    }

    /** The environment of a git child that talks to the source repository: the token, and no prompt of any kind. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GIT_TERMINAL_PROMPT", "0");
        // Set but empty: git then runs no askpass program at all, not even SSH_ASKPASS.
        env.put("GIT_ASKPASS", "");
        env.put("SSH_ASKPASS", "");
        env.put("GCM_INTERACTIVE", "never");
        env.put("GIT_TRACE_REDACT", "1");
        if (sendsToken()) {
            env.put(TOKEN_ENV, token.get());
        }
        return env;
    }

    /**
     * {@code text} (git's output) without the token in any form git could print it, and without the user-info part
     * of any URL in it.
     */
    String scrub(String text) {
        String result = text;
        if (token.isPresent()) {
            String basic = Base64.getEncoder()
                    .encodeToString((USER_NAME + ":" + token.get()).getBytes(StandardCharsets.UTF_8));
            result = result.replace(token.get(), RunSecrets.REDACTED).replace(basic, RunSecrets.REDACTED);
        }
        return URL_USER_INFO.matcher(result).replaceAll("$1***@");
    }

    @Override
    public String toString() {
        return "GitCredentials[" + origin + (token.isPresent() ? ", value hidden" : "") + "]";
    }
}
