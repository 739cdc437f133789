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
     * Ready at the first good answer of its health path through the front door: busybox httpd serves files, so the
     * first 200 means the task is up, and nothing is gained by asking again. With {@code -Drecipeci.it.tcp-ready=true}
     * (one run of HelloRunIT) it is the TCP probe instead, three connections held open through the real bridge, so
     * that probe is proven end to end too.
     */
    @Override
    public ReadyProbe readyProbe() {
        return Boolean.getBoolean("recipeci.it.tcp-ready") ? ReadyProbe.tcp().stable(3) : ReadyProbe.http("/health");
    }

    @Override
    public Optional<String> markerPath() {
        return Optional.of("/cgi-bin/marker");
    }
}
