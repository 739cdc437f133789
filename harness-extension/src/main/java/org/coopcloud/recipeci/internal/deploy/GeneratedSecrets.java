package org.coopcloud.recipeci.internal.deploy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The secret values generated during a run, and those it was handed ({@link #remember}). Kept only in memory, never
 * printed (no {@code toString} shows them), so reports and logs can later be scanned for them.
 */
public final class GeneratedSecrets {
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static final String REDACTED = "[secret redacted]";

    /** Every value generated in this JVM, for the console's redaction. */
    private static final java.util.Set<String> ALL = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final List<String> values = new ArrayList<>();

    /** {@code text} with every value generated in this JVM redacted. */
    public static String redactEverywhere(String text) {
        String result = text;
        for (String value : ALL) {
            result = result.replace(value, REDACTED);
        }
        return result;
    }

    /**
     * A secret this JVM holds but did not generate (an API token): from now on it is redacted from the console and
     * log lines like a generated value. Leak scans of the run directory take it separately.
     */
    public static void redactFromNowOn(String value) {
        if (!value.isEmpty()) {
            ALL.add(value);
        }
    }

    /** A fresh random value of {@code length} characters, remembered for leak scans. */
    public synchronized String generate(int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        values.add(value.toString());
        ALL.add(value.toString());
        return value.toString();
    }

    /**
     * Treats {@code value}, a secret the run was handed rather than generated (a git token), like a generated one:
     * redacted from the run's logs and the console, and looked for by the leak scan.
     */
    public synchronized void remember(String value) {
        hideEverywhere(value);
        if (!values.contains(value)) {
            values.add(value);
        }
    }

    /** From now on {@link #redactEverywhere} hides {@code value} too: for secrets known before a run exists. */
    public static void hideEverywhere(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("an empty secret cannot be redacted");
        }
        ALL.add(value);
    }

    /** {@code text} with every generated value replaced by {@value #REDACTED}. */
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
        return "GeneratedSecrets[" + values.size() + " value(s), hidden]";
    }
}
