package org.coopcloud.recipeci.internal.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.Version;
import org.coopcloud.recipeci.internal.config.CodeUnderTest;
import org.coopcloud.recipeci.internal.config.RunConfig;

/**
 * Names run apps exactly as cc-ci does, so that a double {@code !testme} across both tools serialises on one lock:
 * {@code <recipe[:4]>-<first 6 hex of sha1("recipe|pr|ref")>.<suffix>}, with {@code ref} the REF as the build was
 * given it — not the commit it resolves to — and the prefix taken as it is, {@code '-'} included. One (recipe, PR,
 * ref) always maps to one domain: a second run of the same code serialises on the domain's lock instead of creating
 * a second app.
 */
public final class AppDomains {
    private AppDomains() {}

    /**
     * @param ref the ref as the run was given it ({@link #refAsGiven}); never the commit it resolved to
     */
    public static AppDomain forRun(RecipeName recipe, String pr, String ref, String suffix) {
        String name = recipe.value();
        String prefix = name.substring(0, Math.min(4, name.length()));
        return new AppDomain(prefix + "-" + sha1(name + "|" + pr + "|" + ref).substring(0, 6) + "." + suffix);
    }

    /** The domain of the run {@code config} describes; known before anything is checked out. */
    public static AppDomain forRun(RunConfig config) {
        return forRun(
                config.recipe(),
                config.code().pr(),
                refAsGiven(config.code()),
                config.paths().domainSuffix());
    }

    /**
     * The {@code ref} of cc-ci's formula: the REF the build was given, as written ({@code main},
     * {@code refs/pull/12/head}, an abbreviated commit). A released version ({@code recipeci.version}) is a tag, which
     * is what cc-ci's REF would then be. With neither, the empty string: cc-ci's runs always carry a REF, and a run
     * of "the default branch, whatever it is now" has no other name (an assumption; the seeds do not say).
     */
    public static String refAsGiven(CodeUnderTest code) {
        return code.version().map(Version::value).or(code::ref).orElse("");
    }

    /** A dependency's own domain: one per (dependency, owner app), so two owners never share it. */
    static AppDomain forDependency(RecipeName recipe, AppDomain owner, RunConfig config) {
        return forRun(
                recipe,
                config.code().pr(),
                "dependency-of:" + owner,
                config.paths().domainSuffix());
    }

    /**
     * The strict pattern of run-app domains under {@code suffix}. Warm and canonical apps never match it, so the
     * janitor never touches them. It admits a {@code '-'} in the four-character prefix ({@code my-a-3ecac8…} for
     * recipe {@code my-app}): cc-ci's own pattern ({@code [a-z0-9]{1,4}}) misses such apps, recipe-ci's does not.
     */
    public static Pattern runAppPattern(String suffix) {
        return Pattern.compile("[a-z0-9][a-z0-9-]{0,3}-[0-9a-f]{6}\\." + Pattern.quote(suffix));
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
