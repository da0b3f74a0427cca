package dev.sigstream.notary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChainCacheTest {

  private static byte[] junk(final Random rnd, final int n) {
    final byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  @Test
  void aRepeatChainIsOneValidation() {
    final ChainCache cache = new ChainCache(100);
    final Random rnd = new Random(1);
    final byte[] leaf = junk(rnd, 800);
    final byte[] root = junk(rnd, 600);
    final ValidatedChain first = cache.get(List.of(leaf, root));
    assertThat(first.failure).isEqualTo(ReasonCode.CERT_CHAIN_INVALID); // not certificates: the verdict is cached too
    assertThat(cache.get(List.of(leaf.clone(), root.clone()))).isSameAs(first);
    final byte[] other = leaf.clone();
    other[10] ^= 1; // same length and tail, different content: a different chain
    assertThat(cache.get(List.of(other, root))).isNotSameAs(first);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void memoryStaysBoundedUnderManyLargeChains() {
    final long budget = 1 << 20;
    final ChainCache cache = new ChainCache(10_000, budget);
    final Random rnd = new Random(2);
    for (int i = 0; i < 300; i++) {
      cache.get(List.of(junk(rnd, 20_000), junk(rnd, 10_000)));
      assertThat(cache.bytes()).isLessThanOrEqualTo(budget);
    }
    assertThat(cache.size()).isBetween(1, 12);
    // Heavier than an eighth of the budget: validated, answered, never kept.
    final List<byte[]> huge = List.of(junk(rnd, 60_000), junk(rnd, 60_000));
    assertThat(cache.get(huge).failure).isEqualTo(ReasonCode.CERT_CHAIN_INVALID);
    assertThat(cache.get(huge)).isNotSameAs(cache.get(huge));
  }
}
