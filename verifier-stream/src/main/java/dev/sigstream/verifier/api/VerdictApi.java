package dev.sigstream.verifier.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.oci.Reference;
import dev.sigstream.schemas.AvroJson;
import dev.sigstream.schemas.avro.ArtifactClass;
import dev.sigstream.schemas.avro.Outcome;
import dev.sigstream.schemas.avro.Verdict;
import dev.sigstream.verifier.topology.PendingWork;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The verdict query API and the Gatekeeper external-data provider, on the process's HTTP server.
 *
 * <ul>
 *   <li>{@code GET /v1/verdicts/{registry}/{repository}@{digest}}: the latest verdict (200, {@code state: decided}),
 *       or the artifact is pending (200, {@code state: pending}: waiting for a signature, retrying, in flight), or
 *       its verdict was decided under other trust material ({@code state: stale}), or 404. References by tag are refused (400): verdicts are by digest.
 *   <li>{@code GET /v1/verdicts?outcome=&class=&repository=&since=&limit=}: a filtered listing (at most 1000).
 *   <li>{@code POST /v1/admission/gatekeeper}: {@link GatekeeperProvider}.
 * </ul>
 *
 * Everything a caller sends is length-capped before it is parsed; errors are one JSON object {@code {"error": …}}.
 */
public final class VerdictApi {

  static final int MAX_REFERENCE = 1024;
  static final int MAX_LIMIT = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final VerdictQueries queries;
  private final GatekeeperProvider gatekeeper;

  public VerdictApi(final VerdictQueries queries) {
    this(queries, null);
  }

  /**
   * @param admissionOnDemand when not null, admission verifies an image it has no verdict for within this deadline
   *     (Gatekeeper's own external-data timeout is 3 s by default), instead of denying it at once
   */
  public VerdictApi(final VerdictQueries queries, final java.time.Duration admissionOnDemand) {
    this.queries = queries;
    this.gatekeeper = new GatekeeperProvider(queries, admissionOnDemand);
  }

  /**
   * Adds the routes to a Javalin configuration. Admission's {@code POST} is served by a Jetty handler in front of
   * Javalin ({@link AdmissionJettyHandler}); the Javalin route answers the same path with a trailing slash, through
   * the same {@link GatekeeperProvider}.
   */
  public void routes(final JavalinConfig c) {
    c.routes.get("/v1/verdicts/<reference>", this::one);
    c.routes.get("/v1/verdicts", this::list);
    c.routes.post(ADMISSION_PATH, gatekeeper::handle);
    c.jetty.modifyServer(server -> server.insertHandler(new AdmissionJettyHandler(gatekeeper)));
  }

  static final String ADMISSION_PATH = "/v1/admission/gatekeeper";

  void one(final Context ctx) {
    final String raw = ctx.pathParam("reference");
    if (raw.length() > MAX_REFERENCE) {
      error(ctx, 400, "reference longer than " + MAX_REFERENCE + " characters");
      return;
    }
    final Reference ref;
    try {
      ref = Reference.parse(raw);
    } catch (final IllegalArgumentException e) {
      error(ctx, 400, "invalid reference: " + e.getMessage());
      return;
    }
    if (!ref.isDigest()) {
      error(ctx, 400, "verdicts are by digest: use registry/repository@sha256:…, not a tag");
      return;
    }
    final String key = ref.registry() + "/" + ref.repository() + "@" + ref.digest();
    final Optional<PendingWork> pending = queries.pending(key);
    final Optional<Verdict> v = queries.verdict(key);
    if (v.isEmpty() && pending.isEmpty()) {
      error(ctx, 404, "no verdict for " + key);
      return;
    }
    final ObjectNode out = JSON.createObjectNode();
    out.put("artifact", key);
    // Pending wins: a new decision is under way (a signature arrived, or trust material changed).
    out.put("state", pending.isPresent() ? "pending" : v.isPresent() && !queries.current(v.get()) ? "stale"
        : "decided");
    pending.ifPresent(p -> {
      final ObjectNode pn = out.putObject("pending");
      pn.put("why", p.state().name());
      pn.put("since", Instant.ofEpochMilli(p.firstSeenMs()).toString());
      pn.put("nextCheck", Instant.ofEpochMilli(p.dueMs()).toString());
      pn.put("lastReason", p.lastReason());
    });
    v.ifPresent(verdict -> out.set("verdict", AvroJson.toJson(verdict)));
    json(ctx, 200, out);
  }

  void list(final Context ctx) {
    Predicate<Verdict> filter = v -> true;
    try {
      final String outcome = capped(ctx.queryParam("outcome"));
      if (outcome != null) {
        final Outcome o = Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
        filter = filter.and(v -> v.getOutcome() == o);
      }
      final String cls = capped(ctx.queryParam("class"));
      if (cls != null) {
        final ArtifactClass c = ArtifactClass.valueOf(cls.toUpperCase(Locale.ROOT));
        filter = filter.and(v -> v.getArtifactClass() == c);
      }
      final String repo = capped(ctx.queryParam("repository"));
      if (repo != null) {
        filter = filter.and(v -> repo.equals(v.getArtifact().getRegistry() + "/" + v.getArtifact().getRepository()));
      }
      final String since = capped(ctx.queryParam("since"));
      if (since != null) {
        final Instant t = Instant.parse(since);
        filter = filter.and(v -> !v.getDecidedAt().isBefore(t));
      }
    } catch (final IllegalArgumentException | DateTimeParseException e) {
      error(ctx, 400, "invalid filter: outcome is PASS|FAIL|ERROR|SKIPPED, class an artifact class, since an"
          + " ISO-8601 instant");
      return;
    }
    int limit = 100;
    final String l = capped(ctx.queryParam("limit"));
    if (l != null) {
      try {
        limit = Math.min(MAX_LIMIT, Math.max(1, Integer.parseInt(l)));
      } catch (final NumberFormatException e) {
        error(ctx, 400, "limit must be a number from 1 to " + MAX_LIMIT);
        return;
      }
    }
    final ObjectNode out = JSON.createObjectNode();
    final ArrayNode items = out.putArray("verdicts");
    queries.verdicts(filter, limit).forEach(v -> items.add(AvroJson.toJson(v)));
    json(ctx, 200, out);
  }

  private static String capped(final String s) {
    if (s != null && s.length() > 512) {
      throw new IllegalArgumentException("parameter too long");
    }
    return s == null || s.isBlank() ? null : s;
  }

  static void error(final Context ctx, final int status, final String message) {
    final GatekeeperProvider.Answer a = errorAnswer(status, message);
    ctx.status(a.status()).contentType("application/json").result(a.json());
  }

  static GatekeeperProvider.Answer errorAnswer(final int status, final String message) {
    final ObjectNode e = JSON.createObjectNode();
    e.put("error", message);
    return new GatekeeperProvider.Answer(status, e.toString());
  }

  static void json(final Context ctx, final int status, final JsonNode body) {
    ctx.status(status).contentType("application/json").result(body.toString());
  }
}
