package dev.sigstream.oci.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LicenseExpressionTest {

  private static final Set<String> DENY_GPL3 = Set.of("gpl-3.0-only", "agpl-3.0-only");

  @ParameterizedTest(name = "{0} acceptable={1}")
  @CsvSource(delimiter = '|', value = {
      "MIT | true",
      "GPL-3.0-only | false",
      "gpl-3.0-ONLY | false",
      "MIT OR GPL-3.0-only | true",
      "MIT AND GPL-3.0-only | false",
      "(MIT OR GPL-3.0-only) AND Apache-2.0 | true",
      "(MIT AND GPL-3.0-only) OR Apache-2.0 | true",
      "(MIT AND GPL-3.0-only) OR AGPL-3.0-only | false",
      "MIT OR GPL-3.0-only AND Apache-2.0 | true",
      "GPL-3.0-only OR AGPL-3.0-only | false",
      // AND binds tighter than OR: this is GPL OR (MIT AND AGPL), both options denied.
      "GPL-3.0-only OR MIT AND AGPL-3.0-only | false",
      // Substring matching would flag this; expression evaluation does not.
      "LGPL-3.0-only | true",
      "LicenseRef-GPL-3.0-only-ish | true",
      "GPL-3.0-only WITH Classpath-exception-2.0 | false",
      "mit or gpl-3.0-only | true"
  })
  void evaluatesAndOrStructure(final String expr, final boolean acceptable) {
    assertThat(LicenseExpression.parse(expr).acceptableWithout(DENY_GPL3)).isEqualTo(acceptable);
  }

  @Test
  void withException_canBeDeniedAsACombinationOnly() {
    final Set<String> deny = Set.of("gpl-2.0-only with classpath-exception-2.0");
    assertThat(LicenseExpression.parse("GPL-2.0-only WITH Classpath-exception-2.0").acceptableWithout(deny)).isFalse();
    assertThat(LicenseExpression.parse("GPL-2.0-only").acceptableWithout(deny)).isTrue();
  }

  @Test
  void orLater_isDeniedByTheBaseIdOrThePlusForm() {
    assertThat(LicenseExpression.parse("GPL-2.0+").acceptableWithout(Set.of("gpl-2.0"))).isFalse();
    assertThat(LicenseExpression.parse("GPL-2.0+").acceptableWithout(Set.of("gpl-2.0+"))).isFalse();
    assertThat(LicenseExpression.parse("GPL-2.0+").acceptableWithout(Set.of("gpl-3.0"))).isTrue();
  }

  @Test
  void rendersCanonically() {
    assertThat(LicenseExpression.parse("(mit  OR Apache-2.0) and BSD-3-Clause").render())
        .isEqualTo("(mit OR Apache-2.0) AND BSD-3-Clause");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MIT OR", "(MIT", "MIT)", "AND MIT", "MIT WITH", "Apache License 2.0", "MIT GPL"})
  void rejectsMalformedExpressions(final String expr) {
    assertThatThrownBy(() -> LicenseExpression.parse(expr)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void deeplyNestedParentheses_areAParseError_notAStackOverflow() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LicenseExpression.parse("(".repeat(100_000) + "MIT"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nested deeper than 32");
    org.assertj.core.api.Assertions.assertThat(LicenseExpression.parse("(".repeat(30) + "MIT" + ")".repeat(30))
        .render()).isEqualTo("MIT");
  }
}
