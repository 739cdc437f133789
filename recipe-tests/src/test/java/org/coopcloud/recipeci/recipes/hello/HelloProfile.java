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

    /**
     * Ready once a connection through the front door reaches its httpd three times in a row (the bridge's own port
     * accepts at once, so "accepted" means the task did); the health path is still checked by INSTALL.
     */
    @Override
    public ReadyProbe readyProbe() {
        return ReadyProbe.tcp().stable(3);
    }

    @Override
    public Optional<String> markerPath() {
        return Optional.of("/cgi-bin/marker");
    }
}
