package org.coopcloud.recipeci.internal.secret;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The secret values of one run: those it generated and those it was handed or another tool made
 * ({@link #remember}). Kept only in memory, never printed (no {@code toString} shows them); every log line, console
 * line and failure message of the run passes through {@link #redact}, and the reports are scanned for them before
 * the run ends. One instance per run, shared by everything that prints.
 */
public final class RunSecrets {
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static final String REDACTED = "[secret redacted]";
    private static final int MIN_REDACTABLE = 8;

    private final List<String> values = new ArrayList<>();

    /**
     * A fresh random value of {@code length} characters, remembered — unless it is too short to redact without
     * mangling other text ({@link #redactable}): the caller says so.
     */
    public synchronized String generate(int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        if (redactable(length)) {
            values.add(value.toString());
        }
        return value.toString();
    }

    /** Whether a value of {@code length} characters can be redacted without mangling other text. */
    public static boolean redactable(int length) {
        return length >= MIN_REDACTABLE;
    }

    /**
     * Treats {@code value}, a secret the run did not generate — one it was handed (a token) or one another tool
     * generated (abra prints the secrets it makes) — like a generated one: redacted from everything the run prints,
     * and looked for by the leak scan.
     *
     * @return false, and remembers nothing, when the value is too short to redact without mangling other text
     */
    public synchronized boolean remember(String value) {
        if (!redactable(value.strip().length())) {
            return false;
        }
        if (!values.contains(value)) {
            values.add(value);
        }
        return true;
    }

    /** {@code text} with every value of the run replaced by {@value #REDACTED}. */
    public synchronized String redact(String text) {
        String result = text;
        for (String value : values) {
            result = result.replace(value, REDACTED);
        }
        return result;
    }

    public synchronized List<String> values() {
        return List.copyOf(values);
    }

    @Override
    public String toString() {
        return "RunSecrets[" + values.size() + " value(s), hidden]";
    }
}
