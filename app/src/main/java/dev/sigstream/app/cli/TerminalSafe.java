package dev.sigstream.app.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Makes text safe for a terminal: whatever a user, a registry or a signature supplied can neither move the cursor,
 * rewrite earlier output, nor fake a line of ours. Escaped as {@code \\uXXXX}: C0 controls (CR, ESC, ...), DEL, C1
 * controls, the Unicode line and paragraph separators, zero-width and bidirectional formatting characters
 * (U+200B..U+200F, U+202A..U+202E, U+2066..U+2069, U+FEFF).
 *
 * <p>The {@code \\uXXXX} form is also a valid JSON escape, so filtering {@code -o json} output this way keeps it
 * parseable and decoding to the same strings.
 */
public final class TerminalSafe {

  /** Longest error line printed (after escaping); the rest is summarised. */
  public static final int MAX_LINE = 1024;

  private TerminalSafe() {}

  /** Whether {@code c} must be escaped. */
  static boolean unsafe(final int c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
  }

  /**
   * One line: every unsafe character escaped (line breaks included), cut to {@value #MAX_LINE} characters with a
   * note of how much was left out. Null becomes {@code "(no message)"}.
   */
  public static String line(final String s) {
    if (s == null) {
      return "(no message)";
    }
    final StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_LINE) + 16);
    int i = 0;
    for (; i < s.length() && b.length() < MAX_LINE; i++) {
      escape(b, s.charAt(i));
    }
    if (i < s.length()) {
      b.append("... (").append(s.length() - i).append(" more characters)");
    }
    return b.toString();
  }

  private static void escape(final StringBuilder b, final char c) {
    if (unsafe(c)) {
      b.append(String.format("\\u%04x", (int) c));
    } else {
      b.append(c);
    }
  }

  /**
   * A writer that escapes unsafe characters except the line feed (which ends our own lines) and tab. For stdout and
   * stderr of every command.
   */
  public static PrintWriter writer(final PrintWriter out) {
    if (out instanceof SafePrintWriter) {
      return out;
    }
    return new SafePrintWriter(new Filter(out));
  }

  private static final class SafePrintWriter extends PrintWriter {
    SafePrintWriter(final Writer w) {
      super(w, true);
    }
  }

  private static final class Filter extends FilterWriter {
    Filter(final Writer out) {
      super(out);
    }

    @Override
    public void write(final int c) throws IOException {
      if (c != '\n' && c != '\t' && unsafe(c)) {
        out.write(String.format("\\u%04x", c));
      } else {
        out.write(c);
      }
    }

    @Override
    public void write(final char[] cbuf, final int off, final int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(cbuf[i]);
      }
    }

    @Override
    public void write(final String str, final int off, final int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(str.charAt(i));
      }
    }
  }
}
