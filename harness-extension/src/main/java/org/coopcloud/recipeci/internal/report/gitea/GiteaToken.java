package org.coopcloud.recipeci.internal.report.gitea;

import org.coopcloud.recipeci.RecipeConfigurationException;

/**
 * A Gitea access token. Its value leaves this package only as an {@code Authorization} header: {@link #toString()}
 * hides it, and no message recipe-ci writes quotes it.
 */
public final class GiteaToken {
    static final int MIN_LENGTH = 20;

    private final String value;

    private GiteaToken(String value) {
        this.value = value;
    }

    /**
     * @param origin where the text came from, for the message ("RECIPECI_GITEA_TOKEN", "the file /etc/…")
     * @throws RecipeConfigurationException when the text cannot be a token (empty, spaces, control characters)
     */
    static GiteaToken parse(String text, String origin) {
        String value = text.strip();
        if (value.isEmpty()) {
            throw new RecipeConfigurationException("the Gitea token from " + origin + " is empty: put an access token"
                    + " of the reporting account there (Gitea: Settings → Applications → Generate token)");
        }
        // Printable ASCII only: anything else could split the Authorization header.
        if (!value.chars().allMatch(c -> c > 0x20 && c < 0x7f) || value.length() > 512) {
            throw new RecipeConfigurationException("the Gitea token from " + origin + " has spaces, line breaks or"
                    + " other characters no Gitea token has (or is longer than 512): put exactly the token there");
        }
        if (value.length() < MIN_LENGTH) {
            // A short value cannot be a token, and as a redacted secret it would black out every log line
            // where those few characters happen to appear.
            throw new RecipeConfigurationException("the Gitea token from " + origin + " is only " + value.length()
                    + " characters long: a Gitea access token has 40; put exactly the token there");
        }
        return new GiteaToken(value);
    }

    /** The value of the {@code Authorization} header Gitea's API accepts. */
    String authorization() {
        return "token " + value;
    }

    /** For redaction and leak scans only. */
    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "GiteaToken[hidden]";
    }
}
