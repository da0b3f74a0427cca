package dev.sigstream.ingest.source;

/**
 * Thrown by parsers and the normaliser inside this package for a request that must be refused; {@link Source}
 * turns it into {@link SourceResult.Rejected}. It never leaves the package and carries no stack trace.
 */
final class BadInput extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final SourceResult.Reason reason;

  BadInput(final SourceResult.Reason reason, final String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  SourceResult.Rejected toRejection() {
    return reason.reject(getMessage());
  }
}
