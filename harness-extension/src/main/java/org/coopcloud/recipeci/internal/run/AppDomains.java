package org.coopcloud.recipeci.internal.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.coopcloud.recipeci.AppDomain;
import org.coopcloud.recipeci.RecipeName;
import org.coopcloud.recipeci.internal.config.RunConfig;

/**
 * Names run apps the way cc-ci does, so both can share a host: {@code <first 4 chars of the recipe name, '-' dropped>-<6 hex of
 * sha1(recipe|pr|ref)>.<suffix>}. One (recipe, PR, ref) always maps to one domain: a second run of the same code
 * serialises on the domain's lock instead of creating a second app.
 */
public final class AppDomains {
    private AppDomains() {}

    public static AppDomain forRun(RecipeName recipe, String pr, String ref, String suffix) {
        // cc-ci takes recipe[:4]; dropping '-' first keeps every name inside the strict run-app pattern.
        String compact = recipe.value().replace("-", "");
        String prefix = compact.substring(0, Math.min(4, compact.length()));
        return new AppDomain(
                prefix + "-" + sha1(recipe.value() + "|" + pr + "|" + ref).substring(0, 6) + "." + suffix);
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
     * janitor never touches them.
     */
    public static Pattern runAppPattern(String suffix) {
        return Pattern.compile("[a-z0-9]{1,4}-[0-9a-f]{6}\\." + Pattern.quote(suffix));
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
