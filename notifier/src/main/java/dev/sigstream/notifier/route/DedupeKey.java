package dev.sigstream.notifier.route;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable identity of one ticket or incident: a hash of (policy, artifact, failure class, destination), as
 * Alertmanager hashes its group key. It is the PagerDuty {@code dedup_key}, the GitHub label {@code verdict:<key>},
 * the Jira label, the ServiceNow {@code correlation_id}, the Standard Webhooks {@code webhook-id} and the Event Grid
 * event id, so every retry and every recovery lookup names the same remote object.
 */
public record DedupeKey(String value) {

  /** 32 lower-case hex characters (128 bits of SHA-256): short enough for a GitHub label (50 chars). */
  public static DedupeKey of(final VerdictView v, final String failureClass, final String destination) {
    final String material = String.join("\u0000",
        v.policy().orElse(""), v.digest().map(d -> v.location() + "@" + d).orElse(v.key()), failureClass, destination);
    try {
      final byte[] h = MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8));
      return new DedupeKey(HexFormat.of().formatHex(h, 0, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
