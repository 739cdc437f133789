package org.coopcloud.recipeci;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Co-op Cloud recipe version: a release tag of the recipe's repository, {@code <recipe semver>+<upstream version>}
 * by convention ({@code 1.1.0+2.1}, {@code 2.0.1+1.0.6-social-amd64}). What abra's catalogue takes as a release is
 * one here too: SemVer 2.0 with an optional leading {@code v} ({@code v2.4.8}), an optional {@code -<pre-release>}
 * and an optional {@code +<upstream version>} (which may hold {@code _}, as image tags do).
 *
 * <p>Versions are ordered by SemVer precedence of the part before '+': major, minor and patch numerically, a
 * pre-release before its release; the upstream part breaks ties (digit runs compared as numbers), then the tag
 * itself. A leading {@code v} does not change the order.
 */
public record Version(String value) implements Comparable<Version> {
    private static final String NUMBER = "(0|[1-9]\\d*)";
    private static final Pattern VALID = Pattern.compile("v?" + NUMBER + "\\." + NUMBER + "\\." + NUMBER
            + "(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?" + "(?:\\+([0-9A-Za-z_-]+(?:\\.[0-9A-Za-z_-]+)*))?");
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern RUNS = Pattern.compile("\\d+|\\D+");

    /**
     * @throws NullPointerException when {@code value} is null
     * @throws RecipeConfigurationException when {@code value} is not shaped like a release tag, saying how it should
     *     be
     */
    public Version {
        Objects.requireNonNull(value, "version");
        if (!VALID.matcher(value).matches()) {
            throw new RecipeConfigurationException("'" + value + "' is not a recipe version: use"
                    + " <major>.<minor>.<patch>+<upstream version>, as the recipe's release tags are (e.g."
                    + " '1.1.0+2.1'); a leading 'v' ('v2.4.8') and a -<pre-release> ('1.0.0-rc1+2.0') are allowed");
        }
    }

    /** True when {@code candidate} has the shape of a version (no exception). */
    public static boolean isVersion(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    /** The upstream part after '+', or empty. */
    public String upstream() {
        int plus = value.indexOf('+');
        return plus < 0 ? "" : value.substring(plus + 1);
    }

    @Override
    public int compareTo(Version other) {
        Matcher a = parts(this);
        Matcher b = parts(other);
        for (int group = 1; group <= 3; group++) {
            int c = compareNumbers(a.group(group), b.group(group));
            if (c != 0) {
                return c;
            }
        }
        int c = comparePreRelease(a.group(4), b.group(4));
        if (c != 0) {
            return c;
        }
        c = compareNaturally(upstream(), other.upstream());
        return c != 0 ? c : value.compareTo(other.value);
    }

    private static Matcher parts(Version version) {
        Matcher m = VALID.matcher(version.value);
        if (!m.matches()) {
            throw new IllegalStateException("checked in the constructor: " + version.value);
        }
        return m;
    }

    /** Decimal numbers without leading zeros, of any length. */
    private static int compareNumbers(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    /** SemVer §11: no pre-release ranks above any; identifiers one by one, numeric below alphanumeric. */
    private static int comparePreRelease(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xNum = DIGITS.matcher(x[i]).matches();
            boolean yNum = DIGITS.matcher(y[i]).matches();
            int c = xNum && yNum
                    ? compareNumbers(x[i].replaceFirst("^0+(?=\\d)", ""), y[i].replaceFirst("^0+(?=\\d)", ""))
                    : xNum != yNum ? (xNum ? -1 : 1) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    /** Digit runs as numbers, the rest as text: {@code 2.10} after {@code 2.9}; an empty part first. */
    private static int compareNaturally(String a, String b) {
        Matcher x = RUNS.matcher(a);
        Matcher y = RUNS.matcher(b);
        while (true) {
            boolean xMore = x.find();
            boolean yMore = y.find();
            if (!xMore || !yMore) {
                return Boolean.compare(xMore, yMore);
            }
            String p = x.group();
            String q = y.group();
            boolean pNum = Character.isDigit(p.charAt(0));
            boolean qNum = Character.isDigit(q.charAt(0));
            int c = pNum && qNum
                    ? compareNumbers(p.replaceFirst("^0+(?=\\d)", ""), q.replaceFirst("^0+(?=\\d)", ""))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
