package org.coopcloud.recipeci.internal.recipe.lint;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference split the way docker's reference parser splits it: {@code [registry[:port]/]path[:tag][@digest]}.
 * The tag is what follows the last {@code :} after the last {@code /}, so {@code registry:5000/app} has no tag.
 */
record ImageRef(String name, Optional<String> tag, Optional<String> digest) {
    static ImageRef parse(String reference) {
        String rest = reference;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            return new ImageRef(rest.substring(0, colon), Optional.of(rest.substring(colon + 1)), digest);
        }
        return new ImageRef(rest, Optional.empty(), digest);
    }

    /** Only a name: no tag and no digest (docker's {@code reference.IsNameOnly}). */
    boolean nameOnly() {
        return tag.isEmpty() && digest.isEmpty();
    }

    /**
     * Whether a tag is "semver-like" as Co-op Cloud's tagcmp library parses tags ({@code tagcmp.IsParsable}): not
     * empty, not parametrized, not a commit-hash-like hex string, not only letters; then the part before the first
     * {@code -} (the rest is a suffix such as {@code alpine}), without a leading {@code v}, is one to three numbers
     * joined by dots: {@code 5}, {@code v2.3}, {@code 6.2.1-alpine}, {@code 17-3.5} are; {@code latest},
     * {@code 20191109}, {@code 3.0.6.0}, {@code r1295} are not.
     */
    static boolean semverLike(String tag) {
        if (tag.isEmpty()
                || tag.contains("${")
                || HASH.matcher(tag).matches()
                || LETTERS.matcher(tag).matches()) {
            return false;
        }
        String version = tag.split("-", 2)[0];
        if (version.startsWith("v")) {
            version = version.substring(1);
        }
        return NUMBERS.matcher(version).matches();
    }

    private static final Pattern HASH = Pattern.compile("[a-f0-9]{7,40}");
    private static final Pattern LETTERS = Pattern.compile("[a-zA-Z]+");
    private static final Pattern NUMBERS = Pattern.compile("\\d+(\\.\\d+){0,2}");
}
