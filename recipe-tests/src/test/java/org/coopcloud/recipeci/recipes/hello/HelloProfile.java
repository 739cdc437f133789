package org.coopcloud.recipeci.recipes.hello;

import java.util.Optional;
import org.coopcloud.recipeci.RecipeProfile;

/** The demo recipe {@code hello}: busybox httpd with a static health file. */
public final class HelloProfile implements RecipeProfile {
    @Override
    public String recipe() {
        return "hello";
    }

    @Override
    public String healthPath() {
        return "/health";
    }

    @Override
    public Optional<String> markerPath() {
        return Optional.of("/cgi-bin/marker");
    }
}
