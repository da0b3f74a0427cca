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

  @Test
  void signsTheSpecTestVector() throws Exception {
    // Given the vector's secret, headers and body
    final List<String> lines = Files.readAllLines(Reference.resolve("notifier/examples/standard-webhooks-test-vector.http"), StandardCharsets.UTF_8);
    final String secret = find(lines, "# secret = (whsec_\\S+)");
    final String id = find(lines, "webhook-id: (\\S+)");
    final long ts = Long.parseLong(find(lines, "webhook-timestamp: (\\d+)"));
    final String expected = find(lines, "webhook-signature: (v1,\\S+)");
    final String body = lines.get(lines.size() - 1);

    // When
    final String signature = new StandardWebhookSigner(secret).sign(id, ts, body.getBytes(StandardCharsets.UTF_8));

    // Then
    assertThat(signature).isEqualTo(expected).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void dualSignsDuringKeyRotation() {
    final String sig = new StandardWebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
    assertThat(List.of(sig.split(" "))).hasSize(2).first().isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
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
