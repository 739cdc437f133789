package org.coopcloud.recipeci.recipes.hello.badinput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The bad inputs of issue 13 (point 6 and "What must exist" 5), and more of the same kinds: configuration values, the
 * lock and runs directories, a recipe's files (a branch of hello each) and a recipe profile's settings (modes of
 * {@link BadInputProfile}).
 */
public final class BadInputs {
    private BadInputs() {}

    /** hello with one branch per broken recipe below. */
    public static BadInputCatalogue catalogue(Path home) {
        return new BadInputCatalogue(home)
                .branch("not-yaml", "compose.yml", t -> "services: [app\n  image: {\n\t- :\n")
                .without("no-env-sample", ".env.sample")
                .link("env-sample-link", ".env.sample", "/etc/hostname")
                .branch(
                        "compose-escapes",
                        ".env.sample",
                        t -> t + "COMPOSE_FILE=\"compose.yml:../../../../etc/hostname\"\n")
                .branch("compose-absolute", ".env.sample", t -> t + "COMPOSE_FILE=\"compose.yml:/etc/hostname\"\n")
                .branch("compose-missing", ".env.sample", t -> t + "COMPOSE_FILE=\"compose.yml:compose.nope.yml\"\n")
                .branch("compose-empty-entry", ".env.sample", t -> t + "COMPOSE_FILE=\"$COMPOSE_FILE:compose.yml\"\n")
                .branch(
                        "undefined-secret",
                        "compose.yml",
                        t -> t.replace("      - greeting_key\n", "      - greeting_key\n      - admin_password\n"))
                .branch(
                        "undefined-volume",
                        "compose.yml",
                        t -> t.replace("      - data:/data\n", "      - data:/data\n      - uploads:/uploads\n"))
                .branch(
                        "undefined-network",
                        "compose.yml",
                        t -> t.replace("      - proxy\n", "      - proxy\n      - internal\n"))
                .branch("no-services", "compose.yml", t -> "version: \"3.8\"\nvolumes:\n  data:\n")
                .branch("no-image", "compose.yml", t -> t.replace("    image: recipe-ci.local/hello:2.1\n", ""))
                .branch(
                        "bind-outside",
                        "compose.yml",
                        t -> t.replace("      - data:/data\n", "      - data:/data\n      - /etc:/host-etc:ro\n"))
                .branch("env-file-outside", "compose.yml", envFile("/etc/passwd"))
                .branch(
                        "secret-of-another-app",
                        "compose.yml",
                        t -> t.replace(
                                "    name: ${STACK_NAME}_greeting_key_${SECRET_GREETING_KEY_VERSION}\n",
                                "    name: traefik_example_com_key_v1\n"))
                .branch("env-file-escapes", "compose.yml", envFile("../../../../etc/hostname"))
                .branch(
                        "volume-device-outside",
                        "compose.yml",
                        t -> t.replace(
                                "volumes:\n  data:\n",
                                "volumes:\n  data:\n    driver_opts:\n      type: none\n      o: bind\n"
                                        + "      device: /etc\n"))
                .branch(
                        "secret-without-version",
                        ".env.sample",
                        t -> t.replace("SECRET_GREETING_KEY_VERSION=v1", "SECRET_GREETING_KEY_VERSION="))
                .branch(
                        "secret-bad-length",
                        ".env.sample",
                        t -> t.replace(
                                "SECRET_GREETING_KEY_VERSION=v1", "SECRET_GREETING_KEY_VERSION=v1 # length=lots"))
                .branch(
                        "backup-path-escapes",
                        "compose.yml",
                        t -> t.replace(
                                "        - \"backupbot.backup.path=/data\"\n",
                                "        - \"backupbot.backup.volumes.data.path=../../etc\"\n"))
                .branch(
                        "router-port-not-a-number",
                        "compose.yml",
                        t -> t.replace("loadbalancer.server.port=8080", "loadbalancer.server.port=http"));
    }

    /** The app service of hello's compose.yml given an {@code env_file:}. */
    private static UnaryOperator<String> envFile(String path) {
        return t -> t.replace("    init: true\n", "    init: true\n    env_file: " + path + "\n");
    }

    /**
     * A classpath directory that registers {@link BadInputProfile} and holds its overlay: appended to the child runs'
     * classpath only.
     */
    public static Path profileClasspath(Path dir) throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(
                services.resolve("org.coopcloud.recipeci.RecipeProfile"), BadInputProfile.class.getName() + "\n");
        Path overlays = Files.createDirectories(dir.resolve("bad-input"));
        Files.writeString(
                overlays.resolve("overlay-web.yml"),
                "version: \"3.8\"\nservices:\n  web:\n    environment:\n      - WEB_WORKERS=2\n");
        return dir;
    }

    /** The table; {@code work} holds what some inputs need on disk (a file where a directory belongs). */
    public static List<BadInput> all(Path work, Path lockDir) throws IOException {
        Path file = Files.writeString(work.resolve("a-file"), "not a directory\n");
        Path readOnly = Files.createDirectories(work.resolve("read-only-locks"));
        List<BadInput> in = new ArrayList<>();
        // the configuration
        in.add(BadInput.of("no recipe", "pass -Drecipe=NAME")
                .set("recipe", null)
                .withoutRunDirectory());
        in.add(BadInput.of("recipe name", "use lowercase")
                .set("recipe", "Hello")
                .withoutRunDirectory());
        in.add(BadInput.of("recipe not in catalogue", "is not in the catalogue").set("recipe", "helo"));
        in.add(BadInput.of("unknown recipeci key", "did you mean 'recipeci.deadline'")
                .set("recipeci.deadlin", "1h"));
        in.add(BadInput.of("unknown RECIPECI_ variable", "did you mean").env("RECIPECI_DEADLIN", "1h"));
        in.add(BadInput.of("deadline 99999999999h", "recipeci.deadline").set("recipeci.deadline", "99999999999h"));
        in.add(BadInput.of("deadline 1s", "recipeci.deadline").set("recipeci.deadline", "1s"));
        in.add(BadInput.of("deadline 0s", "recipeci.deadline").set("recipeci.deadline", "0s"));
        in.add(BadInput.of("deadline not a duration", "use e.g. 60m").set("recipeci.deadline", "soon"));
        in.add(BadInput.of("deadline from env", "recipeci.deadline").env("RECIPECI_DEADLINE", "-5m"));
        in.add(BadInput.of("teardown budget 1s", "recipeci.teardown-budget").set("recipeci.teardown-budget", "1s"));
        in.add(BadInput.of("teardown budget 2d", "recipeci.teardown-budget").set("recipeci.teardown-budget", "48h"));
        in.add(BadInput.of("duplicate stages", "name each stage once").set("stages", "install,install"));
        in.add(BadInput.of("unknown stage", "instal").set("stages", "instal"));
        in.add(BadInput.of("no stage", "at least one").set("stages", ","));
        in.add(BadInput.of("restore without backup", "add backup").set("stages", "install,restore"));
        in.add(BadInput.of("version and ref", "both recipeci.version")
                .set("recipeci.version", "1.0.0+2.0")
                .set("recipeci.ref", "main"));
        in.add(BadInput.of("bad version", "version").set("recipeci.version", "one-point-oh"));
        in.add(BadInput.of("unreleased version", "released: 1.0.0+2.0, 1.1.0+2.1")
                .set("recipeci.version", "9.9.9+9.9"));
        in.add(BadInput.of("ref not a git ref", "is not a git ref").set("recipeci.ref", "main..other"));
        in.add(BadInput.of("unknown branch", "has no git ref").set("recipeci.ref", "no-such-branch"));
        in.add(BadInput.of("keep-on-failure maybe", "use true or false").set("recipeci.keep-on-failure", "maybe"));
        in.add(BadInput.of("unknown driver", "recipeci.driver").set("recipeci.driver", "podman"));
        in.add(BadInput.of("domain suffix", "recipeci.domain-suffix").set("recipeci.domain-suffix", "Not_A.Domain"));
        in.add(BadInput.of("front door", "recipeci.front-door").set("recipeci.front-door", "pigeon"));
        in.add(BadInput.of("host mount relative", "absolute host path").set("recipeci.host-mounts", "var/run"));
        in.add(BadInput.of("run id", "run id")
                .set("recipeci.run-id", "../escape")
                .withoutRunDirectory());
        in.add(BadInput.of("src with credentials", "carries credentials")
                .set("recipeci.src", "https://user:hunter2@git.example.org/r/hello.git"));
        in.add(BadInput.of("src scheme", "scheme").set("recipeci.src", "ftp://git.example.org/r/hello.git"));
        in.add(BadInput.of("src without host", "host").set("recipeci.src", "https:///r/hello.git"));
        // the host's directories
        in.add(BadInput.of("lock dir missing", "does not exist")
                .set("recipeci.lock-dir", work.resolve("no-locks").toString()));
        in.add(BadInput.of("lock dir is a file", "is not a directory").set("recipeci.lock-dir", file.toString()));
        in.add(BadInput.of("lock dir read-only", "is not writable")
                .set("recipeci.lock-dir", readOnly.toString())
                .under(readOnlyMount(readOnly)));
        in.add(BadInput.of("lock dir from env missing", "does not exist")
                .set("recipeci.lock-dir", null)
                .env("RECIPECI_LOCK_DIR", work.resolve("no-locks-either").toString()));
        in.add(BadInput.of("runs dir is a file", "recipeci.runs-dir")
                .set("recipeci.runs-dir", file.toString())
                .withoutRunDirectory());
        // the recipe's files: a branch each
        in.add(ref("compose not YAML", "not-yaml", "compose"));
        in.add(ref("no .env.sample", "no-env-sample", "has no .env.sample"));
        in.add(ref(".env.sample a link", "env-sample-link", "symbolic link"));
        in.add(ref("COMPOSE_FILE escapes", "compose-escapes", "outside the recipe's checkout"));
        in.add(ref("COMPOSE_FILE absolute", "compose-absolute", "outside the recipe's checkout"));
        in.add(ref("COMPOSE_FILE missing file", "compose-missing", "compose.nope.yml"));
        in.add(ref("COMPOSE_FILE empty entry", "compose-empty-entry", "empty entry"));
        in.add(ref("undefined secret", "undefined-secret", "admin_password"));
        in.add(ref("undefined volume", "undefined-volume", "uploads"));
        in.add(ref("undefined network", "undefined-network", "internal"));
        in.add(ref("no services", "no-services", "declare no services"));
        in.add(ref("no image", "no-image", "image"));
        in.add(ref("bind mount outside", "bind-outside", "/etc"));
        in.add(ref("env_file outside", "env-file-outside", "env_file /etc/passwd"));
        in.add(ref("secret of another app", "secret-of-another-app", "outside this app's namespace"));
        in.add(ref("env_file escapes", "env-file-escapes", "env_file ../../../../etc/hostname"));
        in.add(ref("volume device outside", "volume-device-outside", "mounts /etc from the host"));
        in.add(ref("secret without version", "secret-without-version", "has no version"));
        in.add(ref("secret length", "secret-bad-length", "not a length"));
        in.add(ref("backup path escapes", "backup-path-escapes", "backupbot.backup.volumes.data.path"));
        in.add(ref("router port", "router-port-not-a-number", "not a port number"));
        // the recipe's profile
        in.add(profile("unknown extraEnv key", "unknown-env", "GREETING_COLOUR"));
        in.add(profile("bad profile key", "env-key", "LETS-ENCRYPT-ENV"));
        in.add(profile("multi-line env value", "env-value", "one line"));
        in.add(profile("health path", "health-path", "must start with '/'"));
        in.add(profile("deploy timeout", "deploy-timeout", "positive duration"));
        in.add(profile("INSTALL not applicable", "install-not-applicable", "INSTALL"));
        in.add(profile("self dependency", "self-dependency", "depend on itself"));
        in.add(profile("overlay of another version", "overlay-other-version", "web"));
        in.add(profile("overlay missing", "overlay-missing", "not on the classpath"));
        in.add(profile("upgrade base", "upgrade-base", "0.0.1+0.1").set("stages", "install,upgrade"));
        return in;
    }

    private static BadInput ref(String name, String branch, String fix) {
        return BadInput.of(name, fix).set("recipeci.ref", branch);
    }

    private static BadInput profile(String name, String mode, String fix) {
        return BadInput.of(name, fix).set("recipe", BadInputProfile.RECIPE).set("recipeci.it.bad-profile", mode);
    }

    /** The run in a mount namespace of its own in which {@code dir} is a read-only bind mount (root writes anywhere else). */
    private static List<String> readOnlyMount(Path dir) {
        return List.of(
                "unshare",
                "--mount",
                "sh",
                "-c",
                "mount --bind \"$0\" \"$0\" && mount -o remount,ro,bind \"$0\" && exec \"$@\"",
                dir.toString());
    }
}
