package org.coopcloud.recipeci.internal.deploy;

import java.util.OptionalInt;

/**
 * A secret an app's env declares, as abra makes it: {@code SECRET_<NAME>_VERSION=<version> # length=N generate=false}
 * becomes the swarm secret {@code <stack>_<name>_<version>}.
 *
 * @param name the compose key, lowercase ({@code secret_key_base})
 * @param envKey the env key that declares it ({@code SECRET_SECRET_KEY_BASE_VERSION})
 * @param remoteName the swarm secret's name
 * @param length the {@code length=} modifier, when there is one
 * @param generate false when the {@code generate=false} modifier leaves the value to the operator
 */
public record AppSecret(
        String name, String envKey, String version, String remoteName, OptionalInt length, boolean generate) {
    /**
     * The length of a secret without {@code length=}. abra makes a passphrase of dictionary words for it; recipe-ci
     * has no word list and makes 32 random characters.
     */
    public static final int DEFAULT_LENGTH = 32;

    /** Swarm's limit for secret and config names ({@code abra}: "secret … is longer than 64 characters"). */
    public static final int MAX_NAME = 64;

    /** How many characters recipe-ci generates for it. */
    public int generatedLength() {
        return length.orElse(DEFAULT_LENGTH);
    }
}
