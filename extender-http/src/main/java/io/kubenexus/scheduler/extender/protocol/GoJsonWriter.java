package io.kubenexus.scheduler.extender.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes JSON the way Go's {@code encoding/json} Marshal does, so answers are byte-for-byte what a Go
 * extender would send: strings escape {@code <}, {@code >} and {@code &} as six-character unicode
 * escapes (backslash, u, four hex digits), U+2028 and U+2029 likewise, control characters as
 * backslash-b/f/n/r/t or a unicode escape, and an unpaired surrogate (invalid UTF-8 in Go) as
 * U+FFFD. Structure (keys,
 * commas, map key order) is the caller's job.
 */
final class GoJsonWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Buffer out;
    /**
     * What one call writes, appended to {@code out} at once: a Vert.x buffer checks its capacity and
     * reference count on every append, which per byte was most of a 5,000-node filter answer's time.
     */
    private byte[] scratch = new byte[256];
    private int length;

    GoJsonWriter(Buffer out) {
        this.out = out;
    }

    GoJsonWriter raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            scratch[length++] = (byte) ascii.charAt(i);
        }
        return flush();
    }

    /** {@link Long#toString(long)}'s digits, written without the string (one per score of 5,000). */
    GoJsonWriter number(long value) {
        if (value == Long.MIN_VALUE) {
            return raw(Long.toString(value));
        }
        ensure(20);
        if (value < 0) {
            scratch[length++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            scratch[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        length += digits;
        return flush();
    }

    GoJsonWriter string(String value) {
        int n = value.length();
        // Every char takes at most 6 bytes (an escape), a surrogate pair 4 for two chars.
        ensure(2 + 6 * n);
        scratch[length++] = '"';
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                appendAscii(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                appendUtf8(Character.toCodePoint(c, value.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape('\ufffd');
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else {
                appendUtf8(c);
            }
        }
        scratch[length++] = '"';
        return flush();
    }

    private GoJsonWriter flush() {
        out.appendBytes(scratch, 0, length);
        length = 0;
        return this;
    }

    private void ensure(int bytes) {
        if (length + bytes > scratch.length) {
            scratch = java.util.Arrays.copyOf(scratch, Math.max(2 * scratch.length, length + bytes));
        }
    }

    private void put(char c) {
        scratch[length++] = (byte) c;
    }

    private void appendAscii(char c) {
        switch (c) {
            case '"' -> {
                put('\\');
                put('"');
            }
            case '\\' -> {
                put('\\');
                put('\\');
            }
            case '\b' -> {
                put('\\');
                put('b');
            }
            case '\f' -> {
                put('\\');
                put('f');
            }
            case '\n' -> {
                put('\\');
                put('n');
            }
            case '\r' -> {
                put('\\');
                put('r');
            }
            case '\t' -> {
                put('\\');
                put('t');
            }
            case '<', '>', '&' -> unicodeEscape(c);
            default -> {
                if (c < 0x20) {
                    unicodeEscape(c);
                } else {
                    put(c);
                }
            }
        }
    }

    private void unicodeEscape(char c) {
        put('\\');
        put('u');
        scratch[length++] = HEX[(c >> 12) & 0xf];
        scratch[length++] = HEX[(c >> 8) & 0xf];
        scratch[length++] = HEX[(c >> 4) & 0xf];
        scratch[length++] = HEX[c & 0xf];
    }

    private void appendUtf8(int codePoint) {
        if (codePoint < 0x800) {
            scratch[length++] = (byte) (0xc0 | (codePoint >> 6));
        } else if (codePoint < 0x10000) {
            scratch[length++] = (byte) (0xe0 | (codePoint >> 12));
            scratch[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
        } else {
            scratch[length++] = (byte) (0xf0 | (codePoint >> 18));
            scratch[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
            scratch[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
        }
        scratch[length++] = (byte) (0x80 | (codePoint & 0x3f));
    }
}
