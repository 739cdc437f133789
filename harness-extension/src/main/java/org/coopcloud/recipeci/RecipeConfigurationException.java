package org.coopcloud.recipeci;

/**
 * The run is configured wrongly (unknown recipe, invalid name, unknown version, no swarm...). Nothing has been
 * deployed when this is thrown; the CI entrypoint exits with code 2.
 */
public class RecipeConfigurationException extends RecipeCiException {
    private static final long serialVersionUID = 1L;

    public RecipeConfigurationException(String message) {
        super(message);
    }

    public RecipeConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
