package dev.sigstream.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sigstream.notifier.channel.webhook.StandardWebhookSigner;
import dev.sigstream.testing.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Checks the signer against the Standard Webhooks known-answer vector, read in place from the reference folder. */
class StandardWebhookSignerTest {

  /** The vector file's values: secret, id, timestamp, body and expected signature header. */
  private record Vector(String secret, String id, long timestamp, String body, String signature) {
    static Vector read() throws Exception {
      final List<String> lines = Files.readAllLines(Reference.resolve("notifier/examples/standard-webhooks-test-vector.http"), StandardCharsets.UTF_8);
      return new Vector(find(lines, "# secret = (whsec_\\S+)"), find(lines, "webhook-id: (\\S+)"), Long.parseLong(find(lines, "webhook-timestamp: (\\d+)")),
          lines.get(lines.size() - 1), find(lines, "webhook-signature: (v1,\\S+)"));
    }
  }

  @Test
  void signsTheSpecTestVector() throws Exception {
    // Given the vector's secret, headers and body (read in place)
    final Vector v = Vector.read();

    // When
    final String signature = new StandardWebhookSigner(v.secret()).sign(v.id(), v.timestamp(), v.body().getBytes(StandardCharsets.UTF_8));

    // Then
    assertThat(signature).isEqualTo(v.signature());
  }

  @Test
  void dualSignsDuringKeyRotation() throws Exception {
    final Vector v = Vector.read();
    final String sig = new StandardWebhookSigner(v.secret() + " " + Fixtures.WEBHOOK_SECRET).sign(v.id(), v.timestamp(), v.body().getBytes(StandardCharsets.UTF_8));
    assertThat(List.of(sig.split(" "))).hasSize(2).first().isEqualTo(v.signature());
    assertThat(sig.split(" ")[1]).startsWith("v1,").isNotEqualTo(v.signature());
  }

  private static String find(final List<String> lines, final String regex) {
    final Pattern p = Pattern.compile(regex);
    for (final String l : lines) {
      final Matcher m = p.matcher(l.trim());
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("not in the vector file: " + regex);
  }
}
