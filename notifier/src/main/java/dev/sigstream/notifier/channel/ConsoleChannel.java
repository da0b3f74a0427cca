package dev.sigstream.notifier.channel;

import dev.sigstream.notifier.delivery.DeliveryResult;
import dev.sigstream.notifier.route.Step;
import dev.sigstream.notifier.template.Markup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each notification as one INFO line on logger {@code sigstream.notifications}; the default of {@code sigstream run}. */
public final class ConsoleChannel implements Channel {

  private static final Logger log = LoggerFactory.getLogger("sigstream.notifications");
  private final String destination;
  private final Render render;

  public ConsoleChannel(final String destination, final Render render) {
    this.destination = destination;
    this.render = render;
  }

  @Override
  public String type() {
    return "console";
  }

  @Override
  public DeliveryResult send(final Step s, final int attempt, final boolean recover) {
    // Control characters in user-controlled strings could forge log lines: replace them.
    log.info("notification destination={} action={} severity={} {} policy={} signer={} link={}", destination, s.action(), s.severity(),
        render.title(s, Markup.CONSOLE), Markup.CONSOLE.escape(s.verdict().policy().orElse("-")),
        Markup.CONSOLE.escape(s.verdict().signer().orElse("-")), render.link(s.verdict()));
    return DeliveryResult.ok();
  }
}
