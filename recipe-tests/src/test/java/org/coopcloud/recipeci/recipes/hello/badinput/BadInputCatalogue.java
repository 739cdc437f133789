package org.coopcloud.recipeci.recipes.hello.badinput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A recipe-ci home of the bad-input test's own: a copy of a catalogue, with one branch of hello per way a recipe can be
 * broken, and
 * {@code badin} (hello under another name, for {@link BadInputProfile}); its {@code servers} directory must stay empty.
 * A branch is hello's default branch with one file rewritten (or removed, or made a link).
 */
public final class BadInputCatalogue {
    private final Path home;
    private final Map<String, Edit> branches = new LinkedHashMap<>();

    /** One change to a checkout: a file's text rewritten, or the file removed ({@code null}) or made a link. */
    private record Edit(String file, UnaryOperator<String> text, String linkTo) {}

    public BadInputCatalogue(Path home) {
        this.home = home;
    }

    public Path home() {
        return home;
    }

    public Path servers() {
        return home.resolve("servers");
    }

    /** A branch whose {@code file} is {@code text} applied to the default branch's. */
    public BadInputCatalogue branch(String name, String file, UnaryOperator<String> text) {
        branches.put(name, new Edit(file, text, null));
        return this;
    }

    /** A branch without {@code file}. */
    public BadInputCatalogue without(String name, String file) {
        branches.put(name, new Edit(file, null, null));
        return this;
    }

    /** A branch whose {@code file} is a symbolic link to {@code target}. */
    public BadInputCatalogue link(String name, String file, String target) {
        branches.put(name, new Edit(file, null, target));
        return this;
    }

    /** Builds the catalogue from the catalogue of {@code from} (a recipe-ci home that {@code local-swarm up} filled). */
    public BadInputCatalogue build(Path from) throws IOException, InterruptedException {
        Path recipes = Files.createDirectories(home.resolve("recipes"));
        Path hello = recipes.resolve("hello");
        // Every recipe whose tier classes are on the classpath must be in the catalogue.
        try (var each = Files.list(from.resolve("recipes"))) {
            for (Path recipe : each.toList()) {
                run(
                        recipes,
                        "cp",
                        "-a",
                        recipe.toString(),
                        recipes.resolve(recipe.getFileName()).toString());
            }
        }
        run(
                recipes,
                "cp",
                "-a",
                from.resolve("recipes/hello").toString(),
                recipes.resolve(BadInputProfile.RECIPE).toString());
        String main = run(hello, "git", "rev-parse", "--abbrev-ref", "HEAD").strip();
        for (Map.Entry<String, Edit> b : branches.entrySet()) {
            run(hello, "git", "checkout", "--quiet", "-B", b.getKey(), main);
            Edit edit = b.getValue();
            Path file = hello.resolve(edit.file());
            if (edit.linkTo() != null) {
                Files.delete(file);
                Files.createSymbolicLink(file, Path.of(edit.linkTo()));
            } else if (edit.text() == null) {
                Files.delete(file);
            } else {
                Files.writeString(file, edit.text().apply(Files.readString(file)));
            }
            run(hello, "git", "add", "--all");
            run(
                    hello,
                    "git",
                    "-c",
                    "user.name=bad-input",
                    "-c",
                    "user.email=bad-input@localhost",
                    "commit",
                    "--quiet",
                    "--no-verify",
                    "-m",
                    b.getKey());
        }
        run(hello, "git", "checkout", "--quiet", main);
        return this;
    }

    private static String run(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(argv)))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " in " + dir + " failed: " + out);
        }
        return out;
    }
}
