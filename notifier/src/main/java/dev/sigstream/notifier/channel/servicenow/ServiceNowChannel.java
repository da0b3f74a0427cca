package dev.sigstream.notifier.channel.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.notifier.channel.Channel;
import dev.sigstream.notifier.channel.Escape;
import dev.sigstream.notifier.channel.Http;
import dev.sigstream.notifier.channel.Render;
import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * ServiceNow Table API incidents with Basic auth. The dedupe key is the incident's {@code correlation_id}; under
 * recovery a create first queries {@code correlation_id=<key>^active=true}. OPEN posts (201, {@code sys_id} kept);
 * REMIND adds work notes; RESOLVE and REOPEN patch the configured state (states and close codes are
 * instance-specific). 429 with Retry-After and 5xx retry; 400/404 are permanent.
 */
public final class ServiceNowChannel implements Channel {

  private final String base;
  private final String auth;
  private final Map<String, String> settings;
  private final Http http;
  private final Render render;

  /** @param settings resolvedState, reopenState, closeCode, urgency, impact, optional assignmentGroup */
  public ServiceNowChannel(final String baseUrl, final String username, final String password, final Map<String, String> settings,
      final Http http, final Render render) {
    this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.auth = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.settings = Map.copyOf(settings);
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "servicenow";
  }

  private HttpRequest.Builder req(final String path) {
    return http.request(base + path).header("Accept", "application/json").header("Content-Type", "application/json").header("Authorization", auth);
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    if (s.action() == Step.Action.NOTIFY) {
      return DeliveryResult.ok();
    }
    Optional<String> sysId = s.remoteId();
    if (sysId.isEmpty() && (recover || s.action() != Step.Action.OPEN)) {
      final String q = "correlation_id=" + s.key().value() + "^active=true";
      final DeliveryResult found = http.exchange(req("/api/now/table/incident?sysparm_query=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
              + "&sysparm_fields=sys_id,number,state&sysparm_limit=1").GET().build(),
          r -> http.classify(r, ok -> {
            final JsonNode res = ok.json().path("result");
            return res.isArray() && res.size() > 0 ? DeliveryResult.ok(res.get(0).path("sys_id").asText()) : DeliveryResult.ok();
          }));
      if (!(found instanceof DeliveryResult.Delivered d)) {
        return found;
      }
      sysId = d.remoteId();
      if (sysId.isPresent() && s.action() == Step.Action.OPEN) {
        return found;
      }
    }
    final ObjectNode body = Http.JSON.createObjectNode();
    switch (s.action()) {
      case OPEN:
        return create(s);
      case REMIND:
        if (sysId.isEmpty()) {
          return create(s);
        }
        body.put("work_notes", notes(s));
        break;
      case RESOLVE:
        if (sysId.isEmpty()) {
          return DeliveryResult.ok();
        }
        body.put("state", settings.get("resolvedState")).put("close_code", settings.get("closeCode"))
            .put("close_notes", Escape.cap(notes(s), 4000));
        break;
      case REOPEN:
      default:
        if (sysId.isEmpty()) {
          return create(s);
        }
        body.put("state", settings.get("reopenState")).put("work_notes", notes(s));
        break;
    }
    final String id = sysId.get();
    return http.exchange(req("/api/now/table/incident/" + URLEncoder.encode(id, StandardCharsets.UTF_8)).method("PATCH", Http.json(body)).build(),
        r -> http.classify(r, ok -> DeliveryResult.ok(id)));
  }

  /** Work notes and close notes: the title, then the body (journal fields; values escaped as in the description). */
  private String notes(final Step s) {
    return Escape.cap(render.title(s, Markup.SERVICENOW) + "\n" + render.body(s, Markup.SERVICENOW), 16_000);
  }

  private DeliveryResult create(final Step s) {
    final ObjectNode body = Http.JSON.createObjectNode();
    body.put("short_description", Escape.cap(render.title(s, Markup.SERVICENOW), 160));
    // Plain text; the instance would render HTML only inside [code]..[/code], which Markup.SERVICENOW breaks in values.
    body.put("description", Escape.cap(render.body(s, Markup.SERVICENOW) + "\nVerdict: " + render.link(s.verdict()), 4000));
    body.put("urgency", settings.get("urgency"));
    body.put("impact", settings.get("impact"));
    body.put("correlation_id", s.key().value());
    body.put("correlation_display", "sigstream");
    if (settings.get("assignmentGroup") != null && !settings.get("assignmentGroup").isBlank()) {
      body.put("assignment_group", settings.get("assignmentGroup"));
    }
    return http.exchange(req("/api/now/table/incident").POST(Http.json(body)).build(),
        r -> http.classify(r, ok -> DeliveryResult.ok(ok.json().path("result").path("sys_id").asText(null))));
  }
}
