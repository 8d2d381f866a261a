package dev.todoapi.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link OrderKeys}: rocicorp/fractional-indexing's test vectors (src/test.js of version 3.4.0, whose
 * default alphabet is unchanged in 4.0.0), then seeded properties. The key lengths asserted below were
 * measured with these seeds; the bounds leave a little room.
 */
class OrderKeysTest {

    private static final String BASE_10_DIGITS = "0123456789";
    private static final String BASE_2_DIGITS = "01";
    private static final String BASE_95_DIGITS =
            " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    private static final String SMALLEST_INTEGER = "A" + "0".repeat(26);

    // ---- rocicorp's vectors

    @Test
    void rocicorpVectors() {
        assertBetween(null, null, "a0");
        assertBetween(null, "a0", "Zz");
        assertBetween(null, "Zz", "Zy");
        assertBetween("a0", null, "a1");
        assertBetween("a1", null, "a2");
        assertBetween("a0", "a1", "a0V");
        assertBetween("a1", "a2", "a1V");
        assertBetween("a0V", "a1", "a0l");
        assertBetween("Zz", "a0", "ZzV");
        assertBetween("Zz", "a1", "a0");
        assertBetween(null, "Y00", "Xzzz");
        assertBetween("bzz", null, "c000");
        assertBetween("a0", "a0V", "a0G");
        assertBetween("a0", "a0G", "a08");
        assertBetween("b125", "b129", "b127");
        assertBetween("a0", "a1V", "a1");
        assertBetween("Zz", "a01", "a0");
        assertBetween(null, "a0V", "a0");
        assertBetween(null, "b999", "b99");
        assertBetween(null, "A000000000000000000000000001", "A000000000000000000000000000V");
        assertBetween("zzzzzzzzzzzzzzzzzzzzzzzzzzy", null, "zzzzzzzzzzzzzzzzzzzzzzzzzzz");
        assertBetween("zzzzzzzzzzzzzzzzzzzzzzzzzzz", null, "zzzzzzzzzzzzzzzzzzzzzzzzzzzV");
        assertThat(OrderKeys.first()).isEqualTo("a0");
    }

    @Test
    void rocicorpErrorVectors() {
        assertRejected(null, SMALLEST_INTEGER, "invalid order key: " + SMALLEST_INTEGER);
        assertRejected("a00", null, "invalid order key: a00");
        assertRejected("a00", "a1", "invalid order key: a00");
        assertRejected("0", "1", "invalid order key head: 0");
        // rocicorp (since 3.3) swaps an inverted pair and returns "a0V"; here it is rejected
        assertRejected("a1", "a0", "a1 >= a0");
    }

    @Test
    void rocicorpBase10NKeysVectors() {
        assertNBetween(BASE_10_DIGITS, null, null, 5, "a0 a1 a2 a3 a4");
        assertNBetween(BASE_10_DIGITS, "a4", null, 10, "a5 a6 a7 a8 a9 b00 b01 b02 b03 b04");
        assertNBetween(BASE_10_DIGITS, null, "a0", 5, "Z5 Z6 Z7 Z8 Z9");
        assertNBetween(BASE_10_DIGITS, "a0", "a2", 20,
                "a01 a02 a03 a035 a04 a05 a06 a07 a08 a09 a1 a11 a12 a13 a14 a15 a16 a17 a18 a19");
    }

    @Test
    void rocicorpBase2Vectors() {
        assertNBetween(BASE_2_DIGITS, null, null, 8, "a0 a1 b00 b01 b10 b11 c000 c001");
        assertNBetween(BASE_2_DIGITS, "a1", null, 1, "b00");
        assertNBetween(BASE_2_DIGITS, "a0", "a1", 1, "a01");
    }

    @Test
    void rocicorpBase95Vectors() {
        assertBetween95("a00", "a01", "a00P");
        assertBetween95("a0/", "a00", "a0/P");
        assertBetween95(null, null, "a ");
        assertBetween95("a ", null, "a!");
        assertBetween95(null, "a ", "Z~");
        assertBetween95(null, "A                          0", "A                          (");
        assertBetween95("a~", null, "b  ");
        assertBetween95("Z~", null, "a ");
        assertBetween95("a0", "a0V", "a0;");
        assertBetween95("a  1", "a  2", "a  1P");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OrderKeys.keyBetween("a0 ", "a0!", BASE_95_DIGITS))
                .withMessage("invalid order key: a0 ");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OrderKeys.keyBetween("b   ", null, BASE_95_DIGITS))
                .withMessage("invalid order key: b   ");
        String smallest95 = "A" + " ".repeat(26);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> OrderKeys.keyBetween(null, smallest95, BASE_95_DIGITS))
                .withMessage("invalid order key: " + smallest95);
    }

    // ---- properties

    /** (1) Random insertions anywhere keep the list strictly sorted, hence unique, and every key valid. */
    @Test
    void randomInsertionsKeepTheListSorted() {
        Random random = new Random(20240601L);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int position = random.nextInt(list.size() + 1);
            String before = position > 0 ? list.get(position - 1) : null;
            String after = position < list.size() ? list.get(position) : null;
            String key = OrderKeys.between(before, after);
            assertInGap(key, before, after);
            list.add(position, key);
        }
        assertStrictlyIncreasingAndValid(list);
        assertThat(list).hasSize(10_000).doesNotHaveDuplicates();
        // measured with this seed: 7 characters at most, 4.75 on average
        assertThat(maxLength(list)).isLessThanOrEqualTo(8);
    }

    /** (2) Prepending (new tasks go on top) and appending step the integer part: O(log n) characters. */
    @Test
    void prependsAndAppendsStayShort() {
        String top = OrderKeys.first();
        int longest = top.length();
        for (int i = 0; i < 1_000; i++) {
            String key = OrderKeys.between(null, top);
            assertThat(key).isLessThan(top);
            top = key;
            longest = Math.max(longest, key.length());
        }
        // measured: 3 ("Zz".."Z0" are 62 keys, then "Yzz" down, 3,844 keys of 3 characters)
        assertThat(longest).isEqualTo(3);
        assertThat(top).isEqualTo("Yks");

        String bottom = OrderKeys.first();
        longest = bottom.length();
        for (int i = 0; i < 1_000; i++) {
            String key = OrderKeys.between(bottom, null);
            assertThat(key).isGreaterThan(bottom);
            bottom = key;
            longest = Math.max(longest, key.length());
        }
        // measured: 3 ("a1".."az", then "b00" up)
        assertThat(longest).isEqualTo(3);

        // and 100,000 prepends take 4 characters ("X" + 3 digits: 238,328 more keys)
        for (int i = 0; i < 99_000; i++) {
            top = OrderKeys.between(null, top);
        }
        assertThat(top).hasSize(4).startsWith("X");
    }

    /**
     * (3) The worst case: inserting again and again into one gap, next to the newest key. Towards the lower
     * neighbour a character takes 6 halvings (V, G, 8, 4, 2, 1, then "0V"), towards the upper one 5 (V, l,
     * t, x, z, then "zV"): one character per 5 to 6 insertions.
     */
    @Test
    void repeatedInsertionIntoOneGapGrowsOneCharacterPerFiveToSixInsertions() {
        int insertions = 1_000;
        // always just after "a0", i.e. between "a0" and the newest key
        String low = "a0";
        String newest = "a1";
        for (int i = 0; i < insertions; i++) {
            String key = OrderKeys.between(low, newest);
            assertInGap(key, low, newest);
            newest = key;
        }
        int towardsLow = newest.length();
        // always just before "a1", i.e. between the newest key and "a1"
        String high = "a1";
        newest = "a0";
        for (int i = 0; i < insertions; i++) {
            String key = OrderKeys.between(newest, high);
            assertInGap(key, newest, high);
            newest = key;
        }
        int towardsHigh = newest.length();
        // measured: 169 characters (2 of integer part + 1,000 / 6) and 202 (2 + 1,000 / 5)
        assertThat(towardsLow).isBetween(2 + insertions / 7, 2 + insertions / 5);
        assertThat(towardsHigh).isBetween(2 + insertions / 6, 2 + insertions / 4);
    }

    /** (4) between(a, b, n): n strictly increasing valid keys inside (a, b), spread rather than piled up. */
    @Test
    void manyKeysBetweenTwoKeys() {
        Random random = new Random(7L);
        List<String> pool = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int position = random.nextInt(pool.size() + 1);
            pool.add(position, OrderKeys.between(position > 0 ? pool.get(position - 1) : null,
                    position < pool.size() ? pool.get(position) : null));
        }
        int worstGrowth = 0;
        for (int trial = 0; trial < 200; trial++) {
            int i = random.nextInt(pool.size() + 1) - 1; // -1: open start
            int j = i + 1 + random.nextInt(pool.size() - i); // pool.size(): open end
            String before = i < 0 ? null : pool.get(i);
            String after = j >= pool.size() ? null : pool.get(j);
            int n = trial < 3 ? trial : 1 + random.nextInt(1_000);
            List<String> keys = OrderKeys.between(before, after, n);
            assertThat(keys).hasSize(n);
            assertStrictlyIncreasingAndValid(keys);
            for (String key : keys) {
                assertInGap(key, before, after);
            }
            int bound = Math.max(before == null ? 2 : before.length(), after == null ? 2 : after.length());
            worstGrowth = Math.max(worstGrowth, maxLength(keys) - bound);
        }
        // measured: up to 1,000 keys in a gap are at most 2 characters longer than the longer neighbour
        assertThat(worstGrowth).isLessThanOrEqualTo(3);
        assertThat(OrderKeys.between("a0", "a1", 0)).isEmpty();
        assertThatThrownBy(() -> OrderKeys.between("a0", "a1", 1).add("a2"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    /** between(a, b, n) in the middle of a gap is balanced: the keys fall evenly into both halves. */
    @Test
    void manyKeysAreSpreadEvenly() {
        List<String> keys = OrderKeys.between("a0", "a1", 1_000);
        String middle = OrderKeys.between("a0", "a1");
        assertThat(keys.get(500)).isEqualTo(middle); // 500 keys before it, 499 after
        // 62 × 62 = 3,844 two-digit fractions fit 1,000 keys: none needs more than 2 + 2 characters
        assertThat(maxLength(keys)).isEqualTo(4);
    }

    // ---- (5) invalid inputs

    @ParameterizedTest
    @ValueSource(strings = {
        "", "a", "Z", "b0", "a00", "a0V0", "A00000000000000000000000000", "0", "00", "-1", " a0", "a0 ",
        "a0!", "a0-", "é0", "a0é", "a0\u0000", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "Ay"
    })
    void invalidKeysAreRejected(String key) {
        assertThat(OrderKeys.isValid(key)).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between(key, null));
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between(null, key));
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between(key, "zz", 3));
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between(null, key, 0));
    }

    @ParameterizedTest
    @NullSource
    void nullIsNoValidKey(@Nullable String key) {
        assertThat(OrderKeys.isValid(key)).isFalse();
    }

    @Test
    void validKeys() {
        for (String key : List.of("a0", "Zz", "a0V", "b00", "bzz", "Xzzz", "A000000000000000000000000001",
                "zzzzzzzzzzzzzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzzzzzzzzzzzzzV", "a0z1")) {
            assertThat(OrderKeys.isValid(key)).as(key).isTrue();
        }
    }

    @Test
    void emptyOrInvertedGapsAreRejected() {
        assertRejected("a0", "a0", "a0 >= a0");
        assertRejected("a0V", "a0V", "a0V >= a0V");
        assertRejected("b00", "a1", "b00 >= a1");
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between("a1", "a0", 5));
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between("a0", "a0", 0));
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between("a0", "a1", -1))
                .withMessage("n must not be negative: -1");
    }

    /** Random strings of key characters and others: between accepts exactly the keys isValid accepts. */
    @Test
    void betweenAcceptsExactlyTheValidKeys() {
        Random random = new Random(42L);
        char[] alphabet = (OrderKeys.BASE_62_DIGITS + " -_~é").toCharArray();
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            char[] chars = new char[1 + random.nextInt(5)];
            for (int c = 0; c < chars.length; c++) {
                chars[c] = alphabet[random.nextInt(alphabet.length)];
            }
            String key = new String(chars);
            if (OrderKeys.isValid(key)) {
                valid++;
                assertInGap(OrderKeys.between(key, null), key, null);
                assertInGap(OrderKeys.between(null, key), null, key);
            } else {
                assertThatIllegalArgumentException().as(key).isThrownBy(() -> OrderKeys.between(key, null));
                assertThatIllegalArgumentException().as(key).isThrownBy(() -> OrderKeys.between(null, key));
            }
        }
        assertThat(valid).isGreaterThan(100); // both branches are exercised
    }

    // ---- helpers

    private static void assertBetween(@Nullable String before, @Nullable String after, String expected) {
        assertThat(OrderKeys.between(before, after)).as("between(%s, %s)", before, after).isEqualTo(expected);
        assertThat(OrderKeys.isValid(expected)).isTrue();
    }

    private static void assertBetween95(@Nullable String before, @Nullable String after, String expected) {
        assertThat(OrderKeys.keyBetween(before, after, BASE_95_DIGITS))
                .as("between95(%s, %s)", before, after).isEqualTo(expected);
    }

    private static void assertNBetween(String digits, @Nullable String before, @Nullable String after, int n,
            String expected) {
        assertThat(String.join(" ", OrderKeys.keysBetween(before, after, n, digits))).isEqualTo(expected);
    }

    private static void assertRejected(@Nullable String before, @Nullable String after, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> OrderKeys.between(before, after)).withMessage(message);
    }

    private static void assertInGap(String key, @Nullable String before, @Nullable String after) {
        assertThat(OrderKeys.isValid(key)).as("valid: %s", key).isTrue();
        if (before != null) {
            assertThat(key).as("between(%s, %s)", before, after).isGreaterThan(before);
        }
        if (after != null) {
            assertThat(key).as("between(%s, %s)", before, after).isLessThan(after);
        }
    }

    private static void assertStrictlyIncreasingAndValid(List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            assertThat(OrderKeys.isValid(keys.get(i))).as("valid: %s", keys.get(i)).isTrue();
            if (i > 0) {
                assertThat(keys.get(i - 1).compareTo(keys.get(i))).as("%s < %s", keys.get(i - 1), keys.get(i))
                        .isNegative();
            }
        }
        String[] sorted = keys.toArray(String[]::new);
        Arrays.sort(sorted);
        assertThat(sorted).containsExactlyElementsOf(keys);
    }

    private static int maxLength(List<String> keys) {
        return keys.stream().mapToInt(String::length).max().orElse(0);
    }
}
