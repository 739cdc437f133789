package org.coopcloud.recipeci.recipes.notes;

import java.time.Duration;
import java.util.Optional;
import org.coopcloud.recipeci.ReadyProbe;
import org.coopcloud.recipeci.RecipeProfile;

/** The demo recipe {@code notes}: a stateful busybox app with backupbot labels. */
public final class NotesProfile implements RecipeProfile {
    @Override
    public String recipe() {
        return "notes";
    }

    @Override
    public String healthPath() {
        return "/health";
    }

    @Override
    public Optional<String> markerPath() {
        return Optional.of("/cgi-bin/marker");
    }

    @Override
    public ReadyProbe readyProbe() {
        return ReadyProbe.http("/health").stable(2);
    }

    @Override
    public boolean backupVerify() {
        return true;
    }

    @Override
    public Duration deployTimeout() {
        return Duration.ofMinutes(2);
    }
}
