package dev.sigstream.verifier.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.oci.Reference;
import dev.sigstream.verifier.core.ArtifactReport;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.topology.PendingWork;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Gatekeeper external-data provider ({@code externaldata.gatekeeper.sh/v1beta1}): a {@code ProviderRequest} lists
 * image references; the {@code ProviderResponse} has one item per key, answered from the verdict index with no
 * registry round trip. An item carries an {@code error} unless the image has a PASS (or SKIPPED) verdict, so the
 * constraint denies on any error: fail closed for unknown, pending, failed and tag-only images.
 */
final class GatekeeperProvider {

  static final String API_VERSION = "externaldata.gatekeeper.sh/v1beta1";
  static final int MAX_BODY = 256 * 1024;
  static final int MAX_KEYS = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VerdictQueries queries;
  private final java.time.Duration onDemand;

  GatekeeperProvider(final VerdictQueries queries) {
    this(queries, null);
  }

  /** @param onDemand null: an image without a verdict is denied at once; else verified within this deadline */
  GatekeeperProvider(final VerdictQueries queries, final java.time.Duration onDemand) {
    this.queries = queries;
    this.onDemand = onDemand;
  }

  /** The answer to one request: its status and JSON body. */
  record Answer(int status, String json) {}

  /** Javalin's route (Javalin caps the body at its maxRequestSize before this sees it; the cap here is tighter). */
  void handle(final Context ctx) {
    final Answer a = answer(ctx.bodyAsBytes());
    ctx.status(a.status()).contentType("application/json").result(a.json());
  }

  /**
   * Answers a {@code ProviderRequest}: 200 with a {@code ProviderResponse}, or 413/400 with {@code {"error": …}}.
   * {@code body} may be longer than {@link #MAX_BODY} (it is then refused unparsed), so a caller can read at most
   * one byte more than the cap.
   */
  Answer answer(final byte[] body) {
    if (body.length > MAX_BODY) {
      return tooLarge();
    }
    final JsonNode req;
    try {
      req = JSON.readTree(body);
    } catch (final IOException e) {
      return VerdictApi.errorAnswer(400, "ProviderRequest is not JSON");
    }
    final JsonNode keys = req == null ? null : req.path("request").path("keys");
    if (keys == null || !keys.isArray() || !"ProviderRequest".equals(req.path("kind").asText())) {
      return VerdictApi.errorAnswer(400, "expected a ProviderRequest with request.keys");
    }
    final ObjectNode out = JSON.createObjectNode();
    out.put("apiVersion", API_VERSION);
    out.put("kind", "ProviderResponse");
    final ObjectNode response = out.putObject("response");
    // The same keys always give the same answer until a verdict changes.
    response.put("idempotent", true);
    final ArrayNode items = response.putArray("items");
    if (keys.size() > MAX_KEYS) {
      response.put("systemError", "more than " + MAX_KEYS + " keys in one request");
      return new Answer(200, out.toString());
    }
    final List<String> asked = new java.util.ArrayList<>();
    keys.forEach(k -> asked.add(k.isTextual() ? k.asText() : String.valueOf(k)));
    items.addAll(items(asked));
    return new Answer(200, out.toString());
  }

  /** The answer to a request whose body is longer than {@link #MAX_BODY}. */
  static Answer tooLarge() {
    return VerdictApi.errorAnswer(413, "ProviderRequest larger than " + MAX_BODY + " bytes");
  }

  /** One item per key, in order; images without a verdict verified on demand when that is on, within one deadline. */
  List<ObjectNode> items(final List<String> keys) {
    final List<ObjectNode> items = new java.util.ArrayList<>();
    final java.util.Map<ObjectNode, java.util.concurrent.CompletableFuture<Optional<ArtifactReport>>> unseen =
        new java.util.LinkedHashMap<>();
    for (final String k : keys) {
      final ObjectNode item = item(k);
      items.add(item);
      if (onDemand != null && item.has(UNSEEN)) {
        unseen.put(item, queries.verifyNow(Reference.parse(item.remove(UNSEEN).asText())));
      }
    }
    if (!unseen.isEmpty()) {
      // One deadline for the whole request, whatever the number of unseen images: Gatekeeper waits for one answer.
      final long end = System.nanoTime() + onDemand.toNanos();
      unseen.forEach((item, f) -> {
        Optional<ArtifactReport> r;
        try {
          r = f.get(Math.max(0, end - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (final java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
          r = Optional.empty();
        } catch (final InterruptedException e) {
          Thread.currentThread().interrupt();
          r = Optional.empty();
        }
        onDemand(item, r);
      });
    }
    return items;
  }

  /** Marks an item (removed before the answer) whose image has no verdict and may be verified on demand. */
  private static final String UNSEEN = "_unseen";

  /** The answer for an image verified on demand: allowed only on PASS (or SKIPPED); anything else, or no answer in time, denies. */
  private static void onDemand(final ObjectNode item, final Optional<ArtifactReport> r) {
    item.remove("error");
    if (r.isEmpty()) {
      item.put("error", "no verdict: the image was not verified by Sigstream, and verifying it now did not finish"
          + " in time (it is being verified; retry shortly)");
      return;
    }
    final ArtifactReport report = r.get();
    final ObjectNode value = item.putObject("value");
    value.put("outcome", report.outcome().name());
    value.put("reason", report.reason().name());
    value.put("decidedAt", report.decidedAt().toString());
    value.put("onDemand", true);
    if (report.outcome() != ArtifactReport.Outcome.PASS && report.outcome() != ArtifactReport.Outcome.SKIPPED) {
      item.put("error", report.outcome() + " " + report.reason() + ": " + report.detail());
    }
  }

  ObjectNode item(final String key) {
    final ObjectNode item = JSON.createObjectNode();
    item.put("key", key.length() > VerdictApi.MAX_REFERENCE ? key.substring(0, VerdictApi.MAX_REFERENCE) : key);
    if (key.length() > VerdictApi.MAX_REFERENCE) {
      return item.put("error", "reference too long");
    }
    final Reference ref;
    try {
      ref = Reference.parse(key);
    } catch (final IllegalArgumentException e) {
      return item.put("error", "not a fully qualified reference: " + e.getMessage());
    }
    if (!ref.isDigest()) {
      return item.put("error", "admission is by digest: reference the image as registry/repository@sha256:…");
    }
    final String artifact = ref.registry() + "/" + ref.repository() + "@" + ref.digest();
    final Optional<PendingWork> pending = queries.pending(artifact);
    if (pending.isPresent()) {
      return item.put("error", "pending: " + pending.get().state().name().toLowerCase(java.util.Locale.ROOT)
          + (pending.get().lastReason() == null ? "" : " (" + pending.get().lastReason() + ")"));
    }
    final Optional<Verdict> v = queries.verdict(artifact);
    if (v.isEmpty()) {
      if (onDemand != null) {
        item.put(UNSEEN, artifact);
      }
      return item.put("error", "no verdict: the image was not verified by Sigstream");
    }
    final Verdict verdict = v.get();
    if (!queries.current(verdict)) {
      // Never serve a decision made under other trust material as current: verify again, deny meanwhile.
      queries.reverify(artifact);
      return item.put("error", "stale: decided under other trust material; re-verifying");
    }
    final ObjectNode value = item.putObject("value");
    value.put("outcome", verdict.getOutcome().name());
    value.put("reason", verdict.getReasonCode().name());
    value.put("decidedAt", verdict.getDecidedAt().toString());
    if (verdict.getOutcome() != Outcome.PASS && verdict.getOutcome() != Outcome.SKIPPED) {
      item.put("error", verdict.getOutcome() + " " + verdict.getReasonCode() + ": " + verdict.getDetail());
    }
    return item;
  }
}
