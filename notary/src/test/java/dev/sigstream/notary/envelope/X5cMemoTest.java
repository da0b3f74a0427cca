package dev.sigstream.notary.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class X5cMemoTest {

  private static char[] framed(final String s) {
    return ("[\"" + s + "\"]").toCharArray();
  }

  @Test
  void aHitIsTheSameTextAndReturnsAFreshCopy() throws EnvelopeException {
    final X5cMemo memo = new X5cMemo(8, 1 << 20);
    final byte[] der = new byte[700];
    new Random(1).nextBytes(der);
    final String text = Base64.getEncoder().encodeToString(der);
    final byte[] first = memo.decode(framed(text), 2, text.length());
    final byte[] second = memo.decode(framed(text), 2, text.length());
    assertThat(first).isEqualTo(der);
    assertThat(second).isEqualTo(der).isNotSameAs(first);
    second[0] ^= 1; // a caller mutating its copy cannot poison the memo
    assertThat(memo.decode(framed(text), 2, text.length())).isEqualTo(der);
    assertThat(memo.size()).isEqualTo(1);
  }

  @Test
  void textsSharingLengthAndTailAreNotConfused() throws EnvelopeException {
    final X5cMemo memo = new X5cMemo(8, 1 << 20);
    final byte[] a = new byte[300];
    new Random(2).nextBytes(a);
    final byte[] b = a.clone();
    b[0] ^= 0x55; // differs only at the start: same length, same last 32 characters, same sampled hash
    final String ta = Base64.getEncoder().encodeToString(a);
    final String tb = Base64.getEncoder().encodeToString(b);
    assertThat(ta.substring(ta.length() - 32)).isEqualTo(tb.substring(tb.length() - 32));
    assertThat(memo.decode(framed(ta), 2, ta.length())).isEqualTo(a);
    assertThat(memo.decode(framed(tb), 2, tb.length())).isEqualTo(b);
    assertThat(memo.decode(framed(ta), 2, ta.length())).isEqualTo(a);
  }

  @Test
  void invalidTextIsNeverRememberedAndStaysBounded() throws EnvelopeException {
    final X5cMemo memo = new X5cMemo(4, 1 << 20);
    assertThatThrownBy(() -> memo.decode(framed("YR=="), 2, 4)).isInstanceOf(EnvelopeException.class);
    assertThat(memo.size()).isZero();
    for (int i = 0; i < 20; i++) {
      final String t = Base64.getEncoder().encodeToString(new byte[] {(byte) i, 1, 2});
      assertThat(memo.decode(framed(t), 2, t.length())).containsExactly((byte) i, 1, 2);
    }
    assertThat(memo.size()).isLessThanOrEqualTo(4);
  }

  @Test
  void memoryIsBoundedWhateverTheInput() throws EnvelopeException {
    final X5cMemo memo = new X5cMemo(1000, 64 * 1024);
    final Random rnd = new Random(3);
    for (int i = 0; i < 200; i++) {
      final byte[] der = new byte[1000 + rnd.nextInt(3000)];
      rnd.nextBytes(der);
      final String t = Base64.getEncoder().encodeToString(der);
      assertThat(memo.decode(framed(t), 2, t.length())).isEqualTo(der);
      assertThat(memo.bytes()).isLessThanOrEqualTo(64 * 1024);
    }
    assertThat(memo.size()).isPositive();
    final byte[] huge = new byte[20_000]; // heavier than an eighth of the budget: decoded, never kept
    final String t = Base64.getEncoder().encodeToString(huge);
    final int before = memo.size();
    assertThat(memo.decode(framed(t), 2, t.length())).isEqualTo(huge);
    assertThat(memo.size()).isLessThanOrEqualTo(before);
  }
}
