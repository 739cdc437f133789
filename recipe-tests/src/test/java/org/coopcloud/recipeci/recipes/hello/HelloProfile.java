package org.coopcloud.recipeci.recipes.hello;

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
}
