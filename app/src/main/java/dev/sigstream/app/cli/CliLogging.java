package dev.sigstream.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.LoggerFactory;

/**
 * CLI logging: warnings (security-relevant downgrades such as a policy that does not enforce revocation) go to
 * stderr; {@code --debug} adds INFO and DEBUG from Sigstream. The service default (INFO to stdout) would corrupt
 * {@code --output json}.
 *
 * <p>Configured in code, never from {@code logback.xml}: reading XML costs a CLI command about 120 XML-parser and
 * several hundred Joran classes. Logback asks {@link java.util.ServiceLoader}-registered configurators first
 * ({@code META-INF/services/ch.qos.logback.classic.spi.Configurator}); this one acts only when {@code main} has
 * marked the process as a CLI command ({@link #markCliProcess}), and otherwise lets Logback go on to the XML, which
 * {@code sigstream run} and the tests use.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {

  /** System property {@code main} sets for every command but {@code run}. */
  static final String PROPERTY = "sigstream.cli";

  private static final String APPENDER = "cli-stderr";

  /** For {@link java.util.ServiceLoader}. */
  public CliLogging() {}

  /** Called by {@code main} before anything logs: with {@code args} naming a CLI command, logging is the CLI's. */
  public static void markCliProcess(final String[] args) {
    for (final String a : args) {
      if (!a.startsWith("-")) {
        if (!"run".equals(a)) {
          System.setProperty(PROPERTY, "true");
        }
        return;
      }
    }
    System.setProperty(PROPERTY, "true"); // --help, --version
  }

  @Override
  public ExecutionStatus configure(final LoggerContext ctx) {
    if (!Boolean.getBoolean(PROPERTY)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    install(ctx, false);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  static void configure(final boolean debug) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return; // another SLF4J binding (tests may use one): leave it alone
    }
    install(ctx, debug);
  }

  /** WARN (DEBUG for Sigstream with {@code debug}) to stderr; the appender is made once per context. */
  private static void install(final LoggerContext ctx, final boolean debug) {
    final Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(APPENDER) == null) {
      root.detachAndStopAllAppenders();
      final PatternLayoutEncoder enc = new PatternLayoutEncoder();
      enc.setContext(ctx);
      enc.setPattern("%-5level %logger{0} - %msg%n");
      enc.start();
      final ConsoleAppender<ILoggingEvent> app = new ConsoleAppender<>();
      app.setContext(ctx);
      app.setName(APPENDER);
      app.setTarget("System.err");
      app.setEncoder(enc);
      app.start();
      root.addAppender(app);
    }
    root.setLevel(Level.WARN);
    ctx.getLogger("dev.sigstream").setLevel(debug ? Level.DEBUG : Level.WARN);
  }
}
