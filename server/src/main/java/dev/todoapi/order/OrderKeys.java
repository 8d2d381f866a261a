package dev.todoapi.order;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Order keys (fractional indexing) for manual ordering: short strings that sort like the items they
 * position, so that moving an item writes just that item's row with a key {@link #between(String, String)
 * between} its new neighbours'.
 *
 * <p>This is a port of the default (base-62) key generation of
 * <a href="https://github.com/rocicorp/fractional-indexing">rocicorp/fractional-indexing</a>
 * ({@code generateKeyBetween} and {@code generateNKeysBetween}, by David Greenspan, after
 * <a href="https://observablehq.com/@dgreensp/implementing-fractional-indexing">Implementing Fractional
 * Indexing</a>; released under CC0, no rights reserved). Given the same inputs it returns the same keys.
 *
 * <p>A key is an <em>integer part</em> followed by a <em>fractional part</em>, both in the digits
 * {@code 0-9A-Za-z} (in that order, value 0 to 61). The first character of the integer part gives its
 * length: {@code 'a'..'z'} mean 2 to 27 characters (positive integers, {@code "a0"} is zero), {@code
 * 'Z'..'A'} mean 2 to 27 characters of negative ones ({@code "Zz"} is minus one). The fractional part may
 * be empty and never ends in {@code '0'}, so every key has exactly one spelling; the smallest integer
 * {@code "A" + 26 × '0'} is not a key itself, so that there is always room before any key. Keys at the
 * open ends ({@code null} neighbours: prepending, appending) step the integer part, so n of them take
 * O(log n) characters (1,000 prepends or appends: 3 characters, 100,000: 4); keys inserted again and
 * again into one gap, next to the newest, grow by one character per five to six insertions (about log2 62
 * halvings per character), which is the case to rebalance, if ever, with {@link #between(String, String,
 * int)}.
 *
 * <p>Keys are ASCII, so {@link String#compareTo} orders them exactly as PostgreSQL's {@code COLLATE "C"}
 * (byte order) does: a column holding them must be {@code text COLLATE "C"} (a linguistic collation
 * would, for one, sort {@code 'a'} before {@code 'B'}).
 *
 * <p>Key generation is deterministic: two concurrent moves into the same gap compute the <em>same</em>
 * key, so a unique constraint over the ordered scope is what keeps keys distinct (the loser re-reads its
 * neighbours and retries).
 *
 * <p>Stateless and thread-safe.
 */
public final class OrderKeys {

    /** The digits of a key, in ascending order: {@code 0-9}, {@code A-Z}, {@code a-z}. */
    /** The longest key the database takes (the length checks on lists.position and tasks.position). */
    public static final int MAX_LENGTH = 200;

    static final String BASE_62_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private OrderKeys() {}

    /** The key of the first item of an empty list: {@code "a0"} (the same as {@code between(null, null)}). */
    public static String first() {
        return between(null, null);
    }

    /**
     * A key strictly between two keys.
     *
     * @param before the key just before the new one, or {@code null} to place it first
     * @param after the key just after the new one, or {@code null} to place it last
     * @throws IllegalArgumentException if a key is not {@linkplain #isValid(String) valid}, or {@code before}
     *     is not less than {@code after}
     */
    public static String between(@Nullable String before, @Nullable String after) {
        return keyBetween(before, after, BASE_62_DIGITS);
    }

    /**
     * {@code n} increasing keys strictly between two keys (rocicorp's {@code generateNKeysBetween}), for
     * inserting, backfilling or rebalancing many items at once: consecutive integer keys towards an open
     * end; between two keys, a key in the middle and the rest split evenly on both sides of it
     * (recursively), so the keys stay about as short as {@code n} allows.
     *
     * @param before the key just before the new ones, or {@code null} for the start of the list
     * @param after the key just after the new ones, or {@code null} for the end of the list
     * @param n how many keys, at least 0
     * @return an unmodifiable list of {@code n} strictly increasing keys
     * @throws IllegalArgumentException if {@code n} is negative, a key is not {@linkplain #isValid(String)
     *     valid}, or {@code before} is not less than {@code after}
     */
    public static List<String> between(@Nullable String before, @Nullable String after, int n) {
        return keysBetween(before, after, n, BASE_62_DIGITS);
    }

    /**
     * Whether {@code key} is a valid key: a known head character, an integer part of the length it gives,
     * only base-62 digits, no trailing {@code '0'} in the fractional part, and not the smallest integer.
     */
    public static boolean isValid(@Nullable String key) {
        return key != null && isValid(key, BASE_62_DIGITS);
    }

    // ---- The algorithm, for any ascending digit alphabet (the tests also run rocicorp's base-10 and
    // ---- base-95 vectors through it); the integer heads are always A-Z / a-z.

    /** {@link #between(String, String)} in the alphabet {@code digits}. */
    static String keyBetween(@Nullable String a, @Nullable String b, String digits) {
        if (a != null) {
            validate(a, digits);
        }
        if (b != null) {
            validate(b, digits);
        }
        if (a != null && b != null && a.compareTo(b) >= 0) {
            // rocicorp (since 3.3) swaps the two instead; here an inverted gap is a caller's bug
            throw new IllegalArgumentException(a + " >= " + b);
        }
        char zero = digits.charAt(0);
        if (a == null) {
            if (b == null) {
                return "a" + zero;
            }
            String ib = integerPart(b);
            String fb = b.substring(ib.length());
            if (ib.equals(smallestInteger(digits))) {
                return ib + midpoint("", fb, digits);
            }
            if (ib.compareTo(b) < 0) {
                return ib;
            }
            String res = decrementInteger(ib, digits);
            if (res == null) {
                throw new IllegalArgumentException("cannot decrement any more");
            }
            return res;
        }
        if (b == null) {
            String ia = integerPart(a);
            String fa = a.substring(ia.length());
            String i = incrementInteger(ia, digits);
            return i == null ? ia + midpoint(fa, null, digits) : i;
        }
        String ia = integerPart(a);
        String fa = a.substring(ia.length());
        String ib = integerPart(b);
        String fb = b.substring(ib.length());
        if (ia.equals(ib)) {
            return ia + midpoint(fa, fb, digits);
        }
        String i = incrementInteger(ia, digits);
        if (i == null) {
            throw new IllegalArgumentException("cannot increment any more");
        }
        if (i.compareTo(b) < 0) {
            return i;
        }
        return ia + midpoint(fa, null, digits);
    }

    /** {@link #between(String, String, int)} in the alphabet {@code digits}. */
    static List<String> keysBetween(@Nullable String a, @Nullable String b, int n, String digits) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        if (n == 0) {
            keyBetween(a, b, digits); // only to validate the arguments, as for any other n
            return List.of();
        }
        List<String> keys = new ArrayList<>(n);
        spread(a, b, n, digits, keys);
        return Collections.unmodifiableList(keys);
    }

    private static void spread(@Nullable String a, @Nullable String b, int n, String digits, List<String> out) {
        if (n == 0) {
            return;
        }
        if (n == 1) {
            out.add(keyBetween(a, b, digits));
            return;
        }
        if (b == null) {
            String c = keyBetween(a, null, digits);
            out.add(c);
            for (int i = 0; i < n - 1; i++) {
                c = keyBetween(c, null, digits);
                out.add(c);
            }
            return;
        }
        if (a == null) {
            List<String> reversed = new ArrayList<>(n);
            String c = keyBetween(null, b, digits);
            reversed.add(c);
            for (int i = 0; i < n - 1; i++) {
                c = keyBetween(null, c, digits);
                reversed.add(c);
            }
            out.addAll(reversed.reversed());
            return;
        }
        int mid = n / 2;
        String c = keyBetween(a, b, digits);
        spread(a, c, mid, digits, out);
        out.add(c);
        spread(c, b, n - mid - 1, digits, out);
    }

    /** Whether {@code key} is valid in the alphabet {@code digits}. */
    static boolean isValid(String key, String digits) {
        if (key.isEmpty()) {
            return false;
        }
        int length = integerLength(key.charAt(0));
        if (length < 0 || key.length() < length) {
            return false;
        }
        for (int i = 1; i < key.length(); i++) {
            if (digits.indexOf(key.charAt(i)) < 0) {
                return false;
            }
        }
        if (key.length() > length && key.charAt(key.length() - 1) == digits.charAt(0)) {
            return false; // a trailing zero in the fractional part
        }
        return !key.equals(smallestInteger(digits));
    }

    private static void validate(String key, String digits) {
        if (key.isEmpty()) {
            throw new IllegalArgumentException("invalid order key: (empty)");
        }
        if (integerLength(key.charAt(0)) < 0) {
            throw new IllegalArgumentException("invalid order key head: " + key.charAt(0));
        }
        if (!isValid(key, digits)) {
            throw new IllegalArgumentException("invalid order key: " + key);
        }
    }

    /** The length of the integer part that starts with {@code head}, or -1 if it is no head. */
    private static int integerLength(char head) {
        if (head >= 'a' && head <= 'z') {
            return head - 'a' + 2;
        }
        if (head >= 'A' && head <= 'Z') {
            return 'Z' - head + 2;
        }
        return -1;
    }

    /** The integer part of a valid key. */
    private static String integerPart(String key) {
        return key.substring(0, integerLength(key.charAt(0)));
    }

    private static String smallestInteger(String digits) {
        return "A" + String.valueOf(digits.charAt(0)).repeat(26);
    }

    /**
     * A string strictly between the fractional parts {@code a} ({@code ""} for the lowest) and {@code b}
     * ({@code null} for the highest), neither ending in zero, {@code a < b}.
     */
    private static String midpoint(String a, @Nullable String b, String digits) {
        char zero = digits.charAt(0);
        if (b != null && a.compareTo(b) >= 0) {
            throw new IllegalArgumentException(a + " >= " + b);
        }
        if ((!a.isEmpty() && a.charAt(a.length() - 1) == zero)
                || (b != null && !b.isEmpty() && b.charAt(b.length() - 1) == zero)) {
            throw new IllegalArgumentException("trailing zero");
        }
        if (b != null && !b.isEmpty()) {
            // Remove the longest common prefix, padding a with zeros as we go (b can't end before a
            // while traversing the common prefix, as a < b).
            int n = 0;
            while (n < b.length() && (n < a.length() ? a.charAt(n) : zero) == b.charAt(n)) {
                n++;
            }
            if (n > 0) {
                return b.substring(0, n) + midpoint(n < a.length() ? a.substring(n) : "", b.substring(n), digits);
            }
        }
        // the first digits (or lack of a digit) differ
        int digitA = a.isEmpty() ? 0 : digits.indexOf(a.charAt(0));
        int digitB = b != null ? digits.indexOf(b.charAt(0)) : digits.length();
        if (digitB - digitA > 1) {
            return String.valueOf(digits.charAt((digitA + digitB + 1) / 2)); // JavaScript's Math.round(x / 2)
        }
        // the first digits are consecutive
        if (b != null && b.length() > 1) {
            return b.substring(0, 1);
        }
        // b is null or a single digit: a's first digit is the one before b's (or the last digit, if b is
        // null); e.g. midpoint("49", "5") = "4" + midpoint("9", null) = "4" + "9" + midpoint("", null) = "495"
        return digits.charAt(digitA) + midpoint(a.isEmpty() ? "" : a.substring(1), null, digits);
    }

    /** The next integer, or {@code null} after the largest; {@code x} is a valid integer part. */
    private static @Nullable String incrementInteger(String x, String digits) {
        char head = x.charAt(0);
        char[] digs = x.substring(1).toCharArray();
        boolean carry = true;
        for (int i = digs.length - 1; carry && i >= 0; i--) {
            int d = digits.indexOf(digs[i]) + 1;
            if (d == digits.length()) {
                digs[i] = digits.charAt(0);
            } else {
                digs[i] = digits.charAt(d);
                carry = false;
            }
        }
        if (!carry) {
            return head + new String(digs);
        }
        if (head == 'Z') {
            return "a" + digits.charAt(0);
        }
        if (head == 'z') {
            return null;
        }
        char h = (char) (head + 1);
        String rest = new String(digs); // all zeros
        return h > 'a' ? h + rest + digits.charAt(0) : h + rest.substring(1);
    }

    /** The previous integer, or {@code null} before the smallest; {@code x} is a valid integer part. */
    private static @Nullable String decrementInteger(String x, String digits) {
        char head = x.charAt(0);
        char last = digits.charAt(digits.length() - 1);
        char[] digs = x.substring(1).toCharArray();
        boolean borrow = true;
        for (int i = digs.length - 1; borrow && i >= 0; i--) {
            int d = digits.indexOf(digs[i]) - 1;
            if (d == -1) {
                digs[i] = last;
            } else {
                digs[i] = digits.charAt(d);
                borrow = false;
            }
        }
        if (!borrow) {
            return head + new String(digs);
        }
        if (head == 'a') {
            return "Z" + last;
        }
        if (head == 'A') {
            return null;
        }
        char h = (char) (head - 1);
        String rest = new String(digs); // all last digits
        return h < 'Z' ? h + rest + last : h + rest.substring(1);
    }
}
