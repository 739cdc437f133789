package org.coopcloud.recipeci.internal.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.coopcloud.recipeci.RecipeConfigurationException;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.ConfigSource;
import org.coopcloud.recipeci.internal.config.RunConfig;
import org.coopcloud.recipeci.internal.process.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What git sends, and where, when {@code recipeci.src} is an HTTP repository: real git against HTTP origins on
 * 127.0.0.1 that record every {@code Authorization} header. The token must reach the source's own origin verbatim,
 * and no other origin, not even one the source redirects to. (A full fetch through a token-guarded forge is
 * recipe-tests' {@code PullRequestSourceIT}.)
 */
class SourceAuthIT {
    @TempDir
    Path home;

    @Test
    void aHostTheSourceRedirectsToNeverGetsTheToken() throws IOException {
        String token = "tok-" + Long.toHexString(System.nanoTime());
        try (Origin elsewhere = Origin.challenging();
                Origin forge = Origin.redirectingTo(elsewhere)) {
            CodeUnderTest config = config(forge.url("hello.git"));

            RecipeConfigurationException refused = catchThrowableOfType(
                    () -> catalogue(config, token).validate(config), RecipeConfigurationException.class);

            assertThat(elsewhere.requests()).as("git followed the redirect").isPositive();
            assertThat(elsewhere.credentials())
                    .as("credentials sent to the redirect's target")
                    .isEmpty();
            assertThat(refused)
                    .hasMessageContaining("redirects to another origin (" + elsewhere.origin() + ")")
                    .hasMessageContaining("use that URL")
                    .hasMessageNotContaining(token);
        }
    }

    @Test
    void theSourceItselfGetsTheTokenVerbatimWhateverCharactersItHas() throws IOException {
        // No whitespace (refused before git runs), but everything a shell would act on.
        String token = "t'o\"k$(touch${IFS}x)`id`;|&<>%s\\n*?" + Long.toHexString(System.nanoTime());
        try (Origin forge = Origin.challenging()) {
            CodeUnderTest config = config(forge.url("hello.git"));

            assertThatThrownBy(() -> catalogue(config, token).validate(config))
                    .isInstanceOf(RecipeConfigurationException.class)
                    .hasMessageContaining("refused the token in RECIPECI_GIT_TOKEN")
                    .hasMessageNotContaining(token);
            assertThat(forge.credentials()).isNotEmpty().allMatch(("recipe-ci:" + token)::equals);
        }
    }

    private CodeUnderTest config(String src) {
        Map<String, String> params = new HashMap<>(
                Map.of("recipeci.recipe", "hello", "recipeci.home", home.toString(), "recipeci.src", src));
        return RunConfig.resolve(ConfigSource.of(k -> Optional.ofNullable(params.get(k)), Map.of()), Optional.empty())
                .code();
    }

    private RecipeCatalogue catalogue(CodeUnderTest config, String token) {
        return new RecipeCatalogue(
                home, new CommandRunner(), GitCredentials.resolve(config, Map.of(GitCredentials.TOKEN_ENV, token)));
    }

    /**
     * An HTTP origin on 127.0.0.1 (its own port, so its own origin for git's credentials) that either redirects
     * every request to another origin or answers 401 with a Basic challenge, credentials or not, and keeps every
     * {@code user:password} it was sent.
     */
    private static final class Origin implements AutoCloseable {
        private final HttpServer server;
        private final Optional<Origin> target;
        private final List<String> credentials = new CopyOnWriteArrayList<>();
        private final List<String> requests = new CopyOnWriteArrayList<>();

        private Origin(Optional<Origin> target) throws IOException {
            this.target = target;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.start();
        }

        static Origin challenging() throws IOException {
            return new Origin(Optional.empty());
        }

        static Origin redirectingTo(Origin target) throws IOException {
            return new Origin(Optional.of(target));
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int requests() {
            return requests.size();
        }

        List<String> credentials() {
            return credentials;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                requests.add(exchange.getRequestURI().toString());
                String header = exchange.getRequestHeaders().getFirst("Authorization");
                if (header != null) {
                    credentials.add(
                            header.startsWith("Basic ")
                                    ? new String(
                                            Base64.getDecoder()
                                                    .decode(header.substring(6).trim()),
                                            StandardCharsets.UTF_8)
                                    : header);
                }
                if (target.isPresent()) {
                    String path = exchange.getRequestURI().toString().substring(1);
                    exchange.getResponseHeaders().add("Location", target.get().url(path));
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"recipe-ci test\"");
                    exchange.sendResponseHeaders(401, -1);
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
