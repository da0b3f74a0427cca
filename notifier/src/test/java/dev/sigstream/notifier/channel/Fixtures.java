package dev.sigstream.notifier.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstream.notifier.Verdicts;
import dev.sigstream.notifier.route.DedupeKey;
import dev.sigstream.notifier.route.Severity;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.route.VerdictView;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.ReasonCode;
import dev.sigstream.testing.Reference;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Steps, HTTP plumbing and request-shape checks against the reference examples (read in place). */
public final class Fixtures {

  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  public static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  public static final ObjectMapper JSON = new ObjectMapper();
  /** A repository name and signer an attacker controls, full of markup. */
  /** A Standard Webhooks secret made here (32 bytes 0..31), not the reference vector's. */
  public static final String WEBHOOK_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(bytes32());
  public static final String EVIL_REPO = "team/<!channel>[x](https://evil)*@admins";

  private Fixtures() {}

  private static byte[] bytes32() {
    final byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  public static Http http() {
    return new Http(Duration.ofSeconds(5), CLOCK);
  }

  public static Http http(final Duration timeout) {
    return new Http(timeout, CLOCK);
  }

  public static Render render() {
    return new Render("https://sigstream.example.com/api/verdicts/", Optional.empty());
  }

  public static Step step(final Step.Action action, final String repository, final Optional<String> remoteId) {
    final VerdictView v = Verdicts.view(repository, action == Step.Action.RESOLVE ? Outcome.PASS : Outcome.FAIL,
        action == Step.Action.RESOLVE ? ReasonCode.OK : ReasonCode.CERT_REVOKED, T0);
    return new Step(action, DedupeKey.of(v, "CERT_REVOKED", "dest"), remoteId, false, v,
        action == Step.Action.RESOLVE ? Severity.INFO : Severity.CRITICAL, "CERT_REVOKED", dev.sigstream.notifier.route.TemplateSpec.NONE, List.of());
  }

  public static Step open() {
    return step(Step.Action.OPEN, "prod/app", Optional.empty());
  }

  public static JsonNode example(final String name) {
    try {
      return JSON.readTree(Files.readString(Reference.resolve("notifier/examples/" + name)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode json(final String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /**
   * Every field of the documented example is present in {@code actual} with the same JSON type, recursively into
   * objects (and the first element of arrays), except the paths listed as not sent.
   */
  public static void assertSameShape(final JsonNode example, final JsonNode actual, final Set<String> notSent) {
    shape("", example, actual, notSent);
  }

  private static void shape(final String path, final JsonNode ex, final JsonNode act, final Set<String> notSent) {
    if (notSent.contains(path)) {
      return;
    }
    assertThat(act).as("field '%s' in %s", path, act).isNotNull();
    if (ex.isNull()) {
      assertThat(act.isNull()).as("'%s' is null as documented", path).isTrue();
      return;
    }
    assertThat(act.getNodeType()).as("type of '%s'", path).isEqualTo(ex.getNodeType());
    if (ex.isObject()) {
      final Iterator<Map.Entry<String, JsonNode>> it = ex.fields();
      while (it.hasNext()) {
        final Map.Entry<String, JsonNode> e = it.next();
        final String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (!notSent.contains(p)) {
          assertThat(act.has(e.getKey())).as("documented field '%s' is sent", p).isTrue();
          shape(p, e.getValue(), act.get(e.getKey()), notSent);
        }
      }
    } else if (ex.isArray() && ex.size() > 0 && act.size() > 0) {
      shape(path + "[]", ex.get(0), act.get(0), notSent);
    }
  }
}
