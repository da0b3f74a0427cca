package dev.sigstream.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelTest {

  private static final String D = "sha256:" + "ab".repeat(32);

  @Test
  void digest_computesVerifiesAndFormsTheReferrersTag() {
    final byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
    final Digest d = Digest.sha256(b);
    assertThat(d.toString()).isEqualTo("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(d.matches(b)).isTrue();
    assertThat(d.matches("hellO".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(d.referrersTag()).isEqualTo("sha256-" + d.hex());
    final Digest s512 = Digest.parse("sha512:" + "0".repeat(128)).recompute(b);
    assertThat(s512.hex()).hasSize(128).startsWith("9b71d224bd62f378");
    assertThat(s512.matches(b)).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"md5:abc", "sha256:ABCD", "sha256:abc", "sha256", "''", "sha1:" + "0000000000000000000000000000000000000000"})
  void digest_rejectsUnsupportedOrMalformed(final String s) {
    assertThatThrownBy(() -> Digest.parse(s)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reference_parsesTagsDigestsAndPorts() {
    final Reference r = Reference.parse("Registry.Example.com:5000/team/app:v1.2@" + D);
    assertThat(r.registry()).isEqualTo("registry.example.com:5000");
    assertThat(r.repository()).isEqualTo("team/app");
    assertThat(r.tag()).isEqualTo("v1.2");
    assertThat(r.identifier()).isEqualTo(D);
    assertThat(Reference.parse("localhost/app:latest").identifier()).isEqualTo("latest");
    assertThat(Reference.parse("127.0.0.1:5000/a/b@" + D).toString()).isEqualTo("127.0.0.1:5000/a/b@" + D);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "app:v1 | must start with a registry host",
      "library/app:v1 | looks like a repository path",
      "registry.example.com/app | needs a :tag or an @digest",
      "registry.example.com/App:v1 | must be lower-case",
      "https://registry.example.com/app:v1 | must not have a URL scheme",
      "registry.example.com/app:-bad | invalid tag",
      "registry.example.com/app@sha256:123 | malformed sha256 digest",
      "registry.example.com/a//b:v1 | component ''",
  })
  void reference_parseErrorsNameTheProblem(final String s, final String message) {
    assertThatThrownBy(() -> Reference.parse(s)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void fetchResult_dispositionsMatchTheVerifierContract() {
    assertThat(new FetchResult.NotFound<>("X", "d").disposition()).isEqualTo(FetchResult.Disposition.FAIL);
    assertThat(new FetchResult.Invalid<>("DIGEST_MISMATCH", "d").disposition()).isEqualTo(FetchResult.Disposition.FAIL);
    assertThat(new FetchResult.NotAllowed<>("h", "d").disposition()).isEqualTo(FetchResult.Disposition.FAIL);
    assertThat(new FetchResult.Unauthorized<>("d").disposition()).isEqualTo(FetchResult.Disposition.ERROR);
    assertThat(new FetchResult.Forbidden<>("d").disposition()).isEqualTo(FetchResult.Disposition.ERROR);
    assertThat(new FetchResult.Unavailable<>("d").disposition()).isEqualTo(FetchResult.Disposition.RETRYABLE);
    assertThat(new FetchResult.RateLimited<>(java.util.Optional.empty(), "d").disposition())
        .isEqualTo(FetchResult.Disposition.RETRYABLE);
    assertThat(FetchResult.found(1).map(i -> i + 1).orElseThrow()).isEqualTo(2);
    assertThat(new FetchResult.NotFound<Integer>("X", "d").map(i -> i + 1)).isInstanceOf(FetchResult.NotFound.class);
  }

  @Test
  void manifest_rejectsMalformedDescriptors() {
    final byte[] b = "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"nope\",\"size\":1}]}"
        .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Manifest.parse(b, null, Digest.sha256(b))).isInstanceOf(IllegalArgumentException.class);
    final byte[] arr = "[1,2]".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Manifest.parse(arr, null, Digest.sha256(arr)))
        .hasMessageContaining("not a JSON object");
  }
}
