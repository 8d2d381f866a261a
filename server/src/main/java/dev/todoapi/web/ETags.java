package dev.todoapi.web;

import org.jspecify.annotations.Nullable;

/**
 * A task's or a list's ETag is its version, which every change bumps: {@code "7"}. If-Match takes a list of them or
 * {@code *}, compared strongly (a weak {@code W/"7"} never matches), as RFC 9110 says.
 */
public final class ETags {

    private ETags() {}

    public static String of(int version) {
        return "\"" + version + "\"";
    }

    /** Throws 412 unless the header is absent or names this version. */
    public static void checkIfMatch(@Nullable String ifMatch, int currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return;
        }
        String current = of(currentVersion);
        for (String candidate : ifMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(current)) {
                return;
            }
        }
        throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                "It has changed since " + ifMatch.strip() + "; its current ETag is " + current + ". Nothing was changed.");
    }
}
