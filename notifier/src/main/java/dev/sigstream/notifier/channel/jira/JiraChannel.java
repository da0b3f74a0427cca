package dev.sigstream.notifier.channel.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.Locale;
import java.util.Optional;

/**
 * Jira issues, Cloud (REST v3, Basic email:token, ADF descriptions, {@code POST /search/jql}) or Data Center (REST
 * v2, {@code Bearer <PAT>}, wiki-markup string descriptions, {@code POST /search}). Each ticket carries the label
 * {@code sigstream-<dedupe key>} (Alertmanager's {@code ALERT{hash}}); a create under recovery searches for an
 * unresolved issue with it first. RESOLVE and REOPEN look the transition up by name (names are configurable: they
 * differ per workflow and language). 429 and 5xx retry (Retry-After obeyed, also on 503); 400/401/403/404/422 are
 * permanent.
 */
public final class JiraChannel implements Channel {

  /** Which Jira. */
  public enum Flavour { CLOUD, DATA_CENTER }

  private final Flavour flavour;
  private final String base;
  private final String auth;
  private final String project;
  private final String issueType;
  private final String resolveTransition;
  private final String reopenTransition;
  private final Http http;
  private final Render render;

  /**
   * @param email Cloud account email (ignored for Data Center)
   * @param token Cloud API token or Data Center personal access token
   */
  public JiraChannel(final Flavour flavour, final String baseUrl, final String email, final String token, final String project,
      final String issueType, final String resolveTransition, final String reopenTransition, final Http http, final Render render) {
    this.flavour = flavour;
    this.base = (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
        + (flavour == Flavour.CLOUD ? "/rest/api/3" : "/rest/api/2");
    this.auth = flavour == Flavour.CLOUD
        ? "Basic " + Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8))
        : "Bearer " + token;
    this.project = project;
    this.issueType = issueType;
    this.resolveTransition = resolveTransition;
    this.reopenTransition = reopenTransition;
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return flavour == Flavour.CLOUD ? "jira-cloud" : "jira-dc";
  }

  static String label(final Step s) {
    return "sigstream-" + s.key().value();
  }

  private HttpRequest.Builder req(final String path) {
    return http.request(base + path).header("Accept", "application/json").header("Content-Type", "application/json").header("Authorization", auth);
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    if (s.action() == Step.Action.NOTIFY) {
      return DeliveryResult.ok();
    }
    Optional<String> key = s.remoteId();
    if (key.isEmpty() && (recover || s.action() != Step.Action.OPEN)) {
      final DeliveryResult found = search(s);
      if (!(found instanceof DeliveryResult.Delivered d)) {
        return found;
      }
      key = d.remoteId();
      if (key.isPresent() && s.action() == Step.Action.OPEN) {
        return found;
      }
    }
    switch (s.action()) {
      case OPEN:
        return create(s);
      case REMIND:
        return key.isEmpty() ? create(s) : comment(key.get(), s);
      case RESOLVE:
        return key.isEmpty() ? DeliveryResult.ok() : transition(key.get(), resolveTransition);
      case REOPEN:
      default:
        return key.isEmpty() ? create(s) : transition(key.get(), reopenTransition);
    }
  }

  private DeliveryResult search(final Step s) {
    final ObjectNode body = Http.JSON.createObjectNode();
    body.put("jql", "project = \"" + project.replace("\"", "") + "\" AND labels = \"" + label(s) + "\" AND statusCategory != Done");
    body.putArray("fields").add("key");
    body.put("maxResults", 1);
    return http.exchange(req(flavour == Flavour.CLOUD ? "/search/jql" : "/search").POST(Http.json(body)).build(),
        r -> http.classify(r, ok -> {
          final JsonNode issues = ok.json().path("issues");
          return issues.isArray() && issues.size() > 0 ? DeliveryResult.ok(issues.get(0).path("key").asText(null)) : DeliveryResult.ok();
        }));
  }

  private DeliveryResult create(final Step s) {
    final ObjectNode root = Http.JSON.createObjectNode();
    final ObjectNode fields = root.putObject("fields");
    fields.putObject("project").put("key", project);
    fields.putObject("issuetype").put("name", issueType);
    // Summary is a single-line plain field (255 characters, as Alertmanager caps it).
    fields.put("summary", Escape.cap(render.title(s, Markup.PLAIN), 255));
    if (flavour == Flavour.CLOUD) {
      fields.set("description", adf(s));
    } else {
      fields.put("description", wiki(s));
    }
    fields.putArray("labels").add("sigstream").add(label(s));
    return http.exchange(req("/issue").POST(Http.json(root)).build(), r -> http.classify(r, ok -> DeliveryResult.ok(ok.json().path("key").asText(null))));
  }

  private DeliveryResult comment(final String key, final Step s) {
    final ObjectNode body = Http.JSON.createObjectNode();
    if (flavour == Flavour.CLOUD) {
      body.set("body", adf(s));
    } else {
      body.put("body", wiki(s));
    }
    return http.exchange(req("/issue/" + enc(key) + "/comment").POST(Http.json(body)).build(), r -> http.classify(r, ok -> DeliveryResult.ok(key)));
  }

  private DeliveryResult transition(final String key, final String name) {
    final DeliveryResult list = http.exchange(req("/issue/" + enc(key) + "/transitions").GET().build(), r -> http.classify(r, ok -> {
      for (final JsonNode t : ok.json().path("transitions")) {
        if (t.path("name").asText("").toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
          return DeliveryResult.ok(t.path("id").asText());
        }
      }
      return new DeliveryResult.Permanent("issue " + key + " has no transition named '" + name + "'", ok.status());
    }));
    if (!(list instanceof DeliveryResult.Delivered d) || d.remoteId().isEmpty()) {
      return list;
    }
    final ObjectNode body = Http.JSON.createObjectNode();
    body.putObject("transition").put("id", d.remoteId().get());
    return http.exchange(req("/issue/" + enc(key) + "/transitions").POST(Http.json(body)).build(), r -> http.classify(r, ok -> DeliveryResult.ok(key)));
  }

  /** Atlassian Document Format: text nodes are plain strings, so nothing needs escaping. */
  private ObjectNode adf(final Step s) {
    final ObjectNode doc = Http.JSON.createObjectNode().put("version", 1).put("type", "doc");
    final ArrayNode content = doc.putArray("content");
    final ObjectNode p = content.addObject().put("type", "paragraph");
    p.putArray("content").addObject().put("type", "text").put("text", render.title(s, Markup.PLAIN))
        .putArray("marks").addObject().put("type", "strong");
    // The body is plain text: one paragraph per non-empty line, each a text node (ADF interprets no markup in it).
    for (final String line : Escape.cap(render.body(s, Markup.PLAIN), 30_000).split("\\R")) {
      if (!line.isBlank()) {
        content.addObject().put("type", "paragraph").putArray("content").addObject().put("type", "text").put("text", line);
      }
    }
    final ObjectNode link = content.addObject().put("type", "paragraph").putArray("content").addObject().put("type", "text").put("text", "Verdict");
    link.putArray("marks").addObject().put("type", "link").putObject("attrs").put("href", render.link(s.verdict()));
    return doc;
  }

  private String wiki(final Step s) {
    final StringBuilder b = new StringBuilder("*").append(render.title(s, Markup.JIRA_WIKI)).append("*\n");
    b.append(render.body(s, Markup.JIRA_WIKI)).append('\n');
    b.append("[Verdict|").append(render.link(s.verdict())).append("]\n");
    return Escape.cap(b.toString(), 32_767);
  }

  private static String enc(final String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
