package org.coopcloud.recipeci;

/** Base of every exception recipe-ci throws on purpose. Messages say what went wrong and how to fix it. */
public class RecipeCiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecipeCiException(String message) {
        super(message);
    }

    public RecipeCiException(String message, Throwable cause) {
        super(message, cause);
    }
}
