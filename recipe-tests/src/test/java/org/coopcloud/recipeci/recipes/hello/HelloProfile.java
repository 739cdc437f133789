package org.coopcloud.recipeci.recipes.hello;

import java.util.Optional;
import org.coopcloud.recipeci.ReadyProbe;
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

    /** Ready once its port accepts connections three times in a row (the health path is still checked by INSTALL). */
    @Override
    public ReadyProbe readyProbe() {
        return ReadyProbe.tcp().stable(3);
    }

    @Override
    public Optional<String> markerPath() {
        return Optional.of("/cgi-bin/marker");
    }
}
