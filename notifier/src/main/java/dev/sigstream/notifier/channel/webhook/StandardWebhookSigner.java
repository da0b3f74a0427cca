package dev.sigstream.notifier.channel.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks v1 signatures: {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>}, space-separated when
 * several secrets are configured (key rotation signs with both). Hand-written (a dozen lines of JCA) rather than
 * depending on {@code com.standardwebhooks:standardwebhooks}, whose Java library also pulls in its own JSON stack;
 * checked against the specification's known-answer vector.
 */
public final class StandardWebhookSigner {

  private final List<byte[]> keys;

  /** @param secrets one or more {@code whsec_<base64>} secrets separated by spaces (a bare base64 key is accepted) */
  public StandardWebhookSigner(final String secrets) {
    final List<byte[]> k = new ArrayList<>();
    for (final String s : secrets.trim().split("\\s+")) {
      final String b64 = s.startsWith("whsec_") ? s.substring(6) : s;
      try {
        k.add(Base64.getDecoder().decode(b64));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a webhook secret is not whsec_<base64>");
      }
    }
    this.keys = List.copyOf(k);
  }

  /** The {@code webhook-signature} header value. */
  public String sign(final String id, final long timestampSeconds, final byte[] body) {
    final byte[] prefix = (id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    final StringBuilder header = new StringBuilder();
    for (final byte[] key : keys) {
      try {
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(prefix);
        final String sig = Base64.getEncoder().encodeToString(mac.doFinal(body));
        if (header.length() > 0) {
          header.append(' ');
        }
        header.append("v1,").append(sig);
      } catch (NoSuchAlgorithmException | InvalidKeyException e) {
        throw new IllegalStateException("HmacSHA256 unavailable", e);
      }
    }
    return header.toString();
  }
}
