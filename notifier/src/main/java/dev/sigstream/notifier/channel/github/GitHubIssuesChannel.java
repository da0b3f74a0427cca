package dev.sigstream.notifier.channel.github;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * GitHub Issues: one issue per ticket, labelled {@code verdict:<dedupe key>}. OPEN creates ({@code POST
 * /repos/{o}/{r}/issues}, 201, number kept); REMIND comments; RESOLVE closes ({@code state: closed, state_reason:
 * completed}); REOPEN reopens. A create under recovery first searches open issues by the label, so a retry never
 * opens a second one. Rate limits come as 429 <em>or</em> 403: {@code retry-after} is obeyed, {@code
 * x-ratelimit-remaining: 0} waits for {@code x-ratelimit-reset}, a secondary-limit 403 without either waits a
 * minute; other 403s, 410 (issues disabled) and 422 are permanent.
 */
public final class GitHubIssuesChannel implements Channel {

  private final String api;
  private final String repository;
  private final String token;
  private final List<String> labels;
  private final Http http;
  private final Render render;

  public GitHubIssuesChannel(final String baseUrl, final String repository, final String token, final List<String> labels, final Http http,
      final Render render) {
    this.api = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.repository = repository;
    this.token = token;
    this.labels = List.copyOf(labels);
    this.http = http;
    this.render = render;
  }

  @Override
  public String type() {
    return "github";
  }

  static String label(final Step s) {
    return "verdict:" + s.key().value();
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    Optional<String> number = s.remoteId();
    if (number.isEmpty() && (recover || s.action() != Step.Action.OPEN) && s.action() != Step.Action.NOTIFY) {
      final DeliveryResult found = search(s);
      if (!(found instanceof DeliveryResult.Delivered d)) {
        return found;
      }
      number = d.remoteId();
      if (number.isPresent() && s.action() == Step.Action.OPEN) {
        return DeliveryResult.ok(number.get());
      }
    }
    switch (s.action()) {
      case OPEN:
        return create(s);
      case REMIND:
        return number.isEmpty() ? create(s) : comment(number.get(), s);
      case RESOLVE:
        return number.isEmpty() ? DeliveryResult.ok() : state(number.get(), "closed", "completed");
      case REOPEN:
        return number.isEmpty() ? create(s) : state(number.get(), "open", "reopened");
      case NOTIFY:
      default:
        return DeliveryResult.ok();
    }
  }

  private HttpRequest.Builder req(final String path) {
    return http.request(api + path)
        .header("Accept", "application/vnd.github+json")
        .header("X-GitHub-Api-Version", "2022-11-28")
        .header("Authorization", "Bearer " + token);
  }

  private DeliveryResult search(final Step s) {
    final String q = "repo:" + repository + " is:issue is:open label:\"" + label(s) + "\"";
    return http.exchange(req("/search/issues?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&per_page=1").GET().build(),
        r -> classify(r, ok -> {
          final JsonNode items = ok.json().path("items");
          return items.isArray() && items.size() > 0 ? DeliveryResult.ok(items.get(0).path("number").asText()) : DeliveryResult.ok();
        }));
  }

  private DeliveryResult create(final Step s) {
    final ObjectNode body = Http.JSON.createObjectNode();
    // Issue titles are plain text on GitHub.
    body.put("title", Escape.cap(render.title(s, Markup.PLAIN), 256));
    body.put("body", markdownBody(s));
    final ArrayNode ls = body.putArray("labels");
    labels.forEach(ls::add);
    ls.add(label(s));
    return http.exchange(req("/repos/" + repository + "/issues").header("Content-Type", "application/json").POST(Http.json(body)).build(),
        r -> classify(r, ok -> DeliveryResult.ok(ok.json().path("number").asText(null))));
  }

  private DeliveryResult comment(final String number, final Step s) {
    final ObjectNode body = Http.JSON.createObjectNode().put("body", markdownBody(s));
    return http.exchange(req("/repos/" + repository + "/issues/" + number + "/comments").header("Content-Type", "application/json")
        .POST(Http.json(body)).build(), r -> classify(r, ok -> DeliveryResult.ok(number)));
  }

  private DeliveryResult state(final String number, final String state, final String reason) {
    final ObjectNode body = Http.JSON.createObjectNode().put("state", state).put("state_reason", reason);
    return http.exchange(req("/repos/" + repository + "/issues/" + number).header("Content-Type", "application/json")
        .method("PATCH", Http.json(body)).build(), r -> classify(r, ok -> DeliveryResult.ok(number)));
  }

  private String markdownBody(final Step s) {
    final StringBuilder b = new StringBuilder("**").append(render.title(s, Markup.MARKDOWN)).append("**\n\n");
    b.append(render.body(s, Markup.MARKDOWN)).append("\n\n");
    b.append("[Verdict](").append(render.link(s.verdict())).append(")\n");
    return Escape.cap(b.toString(), 60_000);
  }

  private DeliveryResult classify(final Http.Response r, final java.util.function.Function<Http.Response, DeliveryResult> onSuccess) {
    if (r.status() == 403 || r.status() == 429) {
      final Optional<Duration> ra = http.retryAfter(r.headers());
      if (ra.isPresent()) {
        return new DeliveryResult.Retry("rate limited", r.status(), ra, false);
      }
      if ("0".equals(r.headers().firstValue("x-ratelimit-remaining").orElse(""))) {
        final long reset = r.headers().firstValue("x-ratelimit-reset").map(Long::parseLong).orElse(0L);
        final Duration d = Duration.between(http.clock().instant(), Instant.ofEpochSecond(reset));
        return new DeliveryResult.Retry("primary rate limit", r.status(), Optional.of(d.isNegative() ? Duration.ZERO : d), false);
      }
      if (r.status() == 429 || r.body().toLowerCase(java.util.Locale.ROOT).contains("secondary rate limit")) {
        // GitHub: without retry-after or a reset, wait at least one minute.
        return new DeliveryResult.Retry("secondary rate limit", r.status(), Optional.of(Duration.ofSeconds(60)), false);
      }
    }
    return http.classify(r, onSuccess);
  }
}
