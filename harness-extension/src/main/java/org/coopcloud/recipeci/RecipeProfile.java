package org.coopcloud.recipeci;

import java.time.Duration;

/**
 * What recipe-ci needs to know about one recipe beyond its compose file. Every method has a default that suits a
 * plain web app; a recipe overrides what differs and registers its profile as a {@link java.util.ServiceLoader}
 * service ({@code META-INF/services/org.coopcloud.recipeci.RecipeProfile}).
 *
 * <pre>{@code
 * public final class HelloProfile implements RecipeProfile {
 *     public String recipe() { return "hello"; }
 *     public String healthPath() { return "/health"; }
 * }
 * }</pre>
 */
public interface RecipeProfile {
    /** The recipe this profile describes. */
    String recipe();

    /** Path requested on the app to decide it is healthy. Must start with '/'. */
    default String healthPath() {
        return "/";
    }

    /** Whether a health-path status means "healthy"; 2xx and 3xx by default. */
    default boolean healthOk(int status) {
        return status >= 200 && status < 400;
    }

    /** How long a deploy may take to converge and answer its health path. */
    default Duration deployTimeout() {
        return Duration.ofMinutes(5);
    }

    /** Connect and read timeout of one HTTP request to the app. */
    default Duration httpTimeout() {
        return Duration.ofSeconds(10);
    }

    /** The profile every recipe without one of its own gets. */
    static RecipeProfile defaults(RecipeName recipe) {
        return () -> recipe.value();
    }
}
