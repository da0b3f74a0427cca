package dev.sigstream.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.LoggerFactory;

/**
 * CLI logging: warnings (security-relevant downgrades such as a policy that does not enforce revocation) go to
 * stderr; {@code --debug} adds INFO and DEBUG from Sigstream. The service default (INFO to stdout) would corrupt
 * {@code --output json}.
 */
final class CliLogging {

  private CliLogging() {}

  static void configure(final boolean debug) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // another SLF4J binding (tests may use one): leave it alone
    }
    final Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    final PatternLayoutEncoder enc = new PatternLayoutEncoder();
    enc.setContext(ctx);
    enc.setPattern("%-5level %logger{0} - %msg%n");
    enc.start();
    final ConsoleAppender<ch.qos.logback.classic.spi.ILoggingEvent> app = new ConsoleAppender<>();
    app.setContext(ctx);
    app.setName("cli-stderr");
    app.setTarget("System.err");
    app.setEncoder(enc);
    app.start();
    root.addAppender(app);
    root.setLevel(Level.WARN);
    ctx.getLogger("dev.sigstream").setLevel(debug ? Level.DEBUG : Level.WARN);
  }
}
