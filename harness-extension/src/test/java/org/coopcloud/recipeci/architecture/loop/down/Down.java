package org.coopcloud.recipeci.architecture.loop.down;

import org.coopcloud.recipeci.architecture.loop.up.Up;

/** The other half of the loop {@link Up} starts. */
public final class Down {
    public Up up() {
        return new Up();
    }
}
