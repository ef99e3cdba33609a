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

    GoJsonWriter(Buffer out) {
        this.out = out;
    }

    GoJsonWriter raw(String ascii) {
        out.appendString(ascii, "US-ASCII");
        return this;
    }

    GoJsonWriter number(long value) {
        return raw(Long.toString(value));
    }

    GoJsonWriter string(String value) {
        out.appendByte((byte) '"');
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                appendAscii(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                appendUtf8(Character.toCodePoint(c, value.charAt(++i)));
            } else if (Character.isSurrogate(c)) {
                raw("\\ufffd");
            } else if (c == '\u2028' || c == '\u2029') {
                unicodeEscape(c);
            } else {
                appendUtf8(c);
            }
        }
        out.appendByte((byte) '"');
        return this;
    }

    private void appendAscii(char c) {
        switch (c) {
            case '"' -> raw("\\\"");
            case '\\' -> raw("\\\\");
            case '\b' -> raw("\\b");
            case '\f' -> raw("\\f");
            case '\n' -> raw("\\n");
            case '\r' -> raw("\\r");
            case '\t' -> raw("\\t");
            case '<', '>', '&' -> unicodeEscape(c);
            default -> {
                if (c < 0x20) {
                    unicodeEscape(c);
                } else {
                    out.appendByte((byte) c);
                }
            }
        }
    }

    private void unicodeEscape(char c) {
        raw("\\u");
        out.appendByte(HEX[(c >> 12) & 0xf]).appendByte(HEX[(c >> 8) & 0xf])
                .appendByte(HEX[(c >> 4) & 0xf]).appendByte(HEX[c & 0xf]);
    }

    private void appendUtf8(int codePoint) {
        if (codePoint < 0x800) {
            out.appendByte((byte) (0xc0 | (codePoint >> 6)));
        } else if (codePoint < 0x10000) {
            out.appendByte((byte) (0xe0 | (codePoint >> 12)));
            out.appendByte((byte) (0x80 | ((codePoint >> 6) & 0x3f)));
        } else {
            out.appendByte((byte) (0xf0 | (codePoint >> 18)));
            out.appendByte((byte) (0x80 | ((codePoint >> 12) & 0x3f)));
            out.appendByte((byte) (0x80 | ((codePoint >> 6) & 0x3f)));
        }
        out.appendByte((byte) (0x80 | (codePoint & 0x3f)));
    }
}
