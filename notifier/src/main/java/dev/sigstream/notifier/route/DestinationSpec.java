package dev.sigstream.notifier.route;

import java.util.Map;

/**
 * A configured destination: its type, plain settings, resolved secrets and delivery limits.
 *
 * @param template this destination's templates (over the channel defaults), overridable per rule
 */
public record DestinationSpec(
    String name, DestinationType type, Map<String, String> settings, Map<String, Secret> secrets, DeliverySettings delivery,
    TemplateSpec template) {

  public DestinationSpec {
    settings = Map.copyOf(settings);
    secrets = Map.copyOf(secrets);
  }

  public String setting(final String key) {
    final String v = settings.get(key);
    return v != null ? v : type.defaults().get(key);
  }

  public String secret(final String key) {
    final Secret s = secrets.get(key);
    if (s == null) {
      throw new IllegalStateException("destination " + name + " has no secret " + key);
    }
    return s.value();
  }
}
