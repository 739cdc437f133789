package org.coopcloud.recipeci;

import java.util.Locale;

/**
 * The tiers of a recipe run, in the order they run. One app is deployed before the first and torn down after the
 * last.
 */
public enum Stage {
    /** The app deploys, converges, answers its health path, at the requested version. */
    INSTALL,
    /** The app upgrades in place from the previous release to the code under test. */
    UPGRADE,
    /** A backup of the app's declared volumes is taken. */
    BACKUP,
    /** The backup restores. */
    RESTORE,
    /** The recipe's own functional tests. */
    CUSTOM;

    /** Parses a stage name case-insensitively ({@code install}, {@code UPGRADE}). */
    public static Stage parse(String name) {
        if (name == null) {
            throw new RecipeConfigurationException("no stage given: use one or more of install, upgrade, backup,"
                    + " restore, custom (comma-separated)");
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RecipeConfigurationException("'" + name + "' is not a stage: use one or more of"
                    + " install, upgrade, backup, restore, custom (comma-separated)");
        }
    }
}
