package io.kubenexus.scheduler.extender.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strings come out as Go's json.Marshal writes them (Go 1.22+: \b and \f short escapes). */
class GoJsonWriterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "plain ascii          | 'node-1'              | '\"node-1\"'",
        "quote and backslash  | 'a\"b\\c'             | '\"a\\\"b\\\\c\"'",
        "html characters      | '<a&b>'               | '\"\\u003ca\\u0026b\\u003e\"'",
        "short escapes        | 'x\b\f\n\r\ty'        | '\"x\\b\\f\\n\\r\\ty\"'",
        "other control        | 'x\u0001\u001fy'      | '\"x\\u0001\\u001fy\"'",
        "line separators      | 'a\u2028b\u2029c'     | '\"a\\u2028b\\u2029c\"'",
        "non-ascii as utf-8   | 'zoné-東京-😀'         | '\"zoné-東京-😀\"'",
        "lone surrogate       | 'a\uD800b'            | '\"a\\ufffdb\"'",
        "del is not escaped   | 'a\u007fb'            | '\"a\u007fb\"'",
    })
    void escapesStringsLikeGo(String name, String value, String expected) {
        Buffer out = Buffer.buffer();

        new GoJsonWriter(out).string(value);

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    /** Numbers are written digit by digit, without a string: exactly Long.toString's text. */
    @Test
    void numbersAreLongToString() {
        SplittableRandom random = new SplittableRandom(7);
        long[] edges = {0, 1, 9, 10, 11, 99, 100, -1, -9, -10, Integer.MAX_VALUE, Integer.MIN_VALUE,
            Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 999_999_999_999L, 1_000_000_000_000L};
        for (int i = 0; i < edges.length + 20_000; i++) {
            long value = i < edges.length ? edges[i]
                    : i % 2 == 0 ? random.nextLong() : random.nextLong() >> random.nextInt(64);
            Buffer out = Buffer.buffer();
            new GoJsonWriter(out).raw("[").number(value).raw(",").number(value).raw("]");
            assertThat(out.toString(StandardCharsets.UTF_8)).as("%d", value)
                    .isEqualTo("[" + value + "," + value + "]");
        }
    }
}
