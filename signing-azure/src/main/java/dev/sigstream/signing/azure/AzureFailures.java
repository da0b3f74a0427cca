package dev.sigstream.signing.azure;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.identity.CredentialUnavailableException;
import dev.sigstream.notary.sign.SigningKeyException;
import dev.sigstream.notary.sign.SigningKeyException.Reason;
import java.util.concurrent.TimeoutException;

/**
 * Turns what the Azure SDK throws into a one-line {@link SigningKeyException} that says what to fix. Only status
 * codes, service error codes and our own words go into a message: never a header, a token or a raw body.
 */
final class AzureFailures {

  private AzureFailures() {}

  /**
   * @param what the operation and resource, e.g. {@code "Key Vault key https://v.vault.azure.net/keys/k"}
   * @param role the Azure role that grants the operation, named in permission errors
   */
  static SigningKeyException map(final Throwable thrown, final String what, final String role,
      final AzureConnection connection) {
    final Throwable t = unwrap(thrown);
    if (t instanceof SigningKeyException s) {
      return s;
    }
    if (t instanceof TimeoutException || t instanceof java.net.http.HttpTimeoutException
        || t instanceof java.net.SocketTimeoutException
        || (t instanceof IllegalStateException && String.valueOf(t.getMessage()).startsWith("Timeout on blocking"))) {
      return new SigningKeyException(Reason.TIMED_OUT, what + ": no answer within "
          + seconds(connection.operationTimeout()), t);
    }
    if (t instanceof CredentialUnavailableException
        || t instanceof ClientAuthenticationException c && c.getResponse() == null) {
      return new SigningKeyException(Reason.CONFIGURATION, "no Azure credential for " + what + ": "
          + oneLine(firstLine(t.getMessage()), 300)
          + " (DefaultAzureCredential: workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE),"
          + " managed identity, AZURE_CLIENT_SECRET, or az login)", t);
    }
    if (t instanceof HttpResponseException h && h.getResponse() != null) {
      return forStatus(h.getResponse().getStatusCode(), serviceCode(h), what, role, connection, t);
    }
    if (t instanceof ResourceNotFoundException) {
      return new SigningKeyException(Reason.NOT_FOUND, what + " does not exist", t);
    }
    return new SigningKeyException(Reason.SERVICE_ERROR, what + " failed: " + t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + oneLine(firstLine(t.getMessage()), 200)), t);
  }

  static SigningKeyException forStatus(final int status, final String serviceCode, final String what,
      final String role, final AzureConnection connection, final Throwable cause) {
    final String code = serviceCode == null ? "" : " " + serviceCode;
    if (status == 401 || status == 403) {
      return new SigningKeyException(Reason.PERMISSION_DENIED, what + ": permission denied (HTTP " + status + code
          + "); give the signing identity the '" + role + "' role on it", cause);
    }
    if (status == 404) {
      return new SigningKeyException(Reason.NOT_FOUND, what + " does not exist (HTTP 404" + code + ")", cause);
    }
    if (status == 429) {
      return new SigningKeyException(Reason.THROTTLED, what + ": throttled (HTTP 429) after "
          + connection.maxRetries() + " retries that honoured Retry-After; try again later", cause);
    }
    if (status == 400 || status == 409 || status == 422) {
      final boolean keyProblem = serviceCode != null && (serviceCode.contains("Key") || serviceCode.contains("Algorithm")
          || serviceCode.contains("Operation"));
      return new SigningKeyException(keyProblem ? Reason.KEY_UNSUPPORTED : Reason.CONFIGURATION,
          what + " rejected the request (HTTP " + status + code + ")", cause);
    }
    if (status == 408 || status == 504) {
      return new SigningKeyException(Reason.TIMED_OUT, what + ": timed out (HTTP " + status + ")", cause);
    }
    return new SigningKeyException(Reason.SERVICE_ERROR, what + " failed (HTTP " + status + code + ")", cause);
  }

  /** The service's error code ({@code {"error":{"code":...}}}), capped and made printable, or null. */
  private static String serviceCode(final HttpResponseException h) {
    final Object v = h.getValue();
    if (v == null) {
      return null;
    }
    final String s = v.toString();
    final int i = s.indexOf("code");
    if (i < 0) {
      return null;
    }
    final java.util.regex.Matcher m = java.util.regex.Pattern.compile("code\\W{1,4}([A-Za-z0-9_.]{1,64})")
        .matcher(s.substring(i, Math.min(s.length(), i + 80)));
    return m.find() ? m.group(1) : null;
  }

  /** {@code 60 s}, {@code 0.8 s}. */
  static String seconds(final java.time.Duration d) {
    final long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  static Throwable unwrap(final Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException
        || (c instanceof RuntimeException && c.getClass() == RuntimeException.class)) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c.getClass().getName().equals("reactor.core.Exceptions$ReactiveException") && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  static String firstLine(final String s) {
    if (s == null) {
      return "";
    }
    final int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Printable ASCII only, at most {@code max} characters. */
  static String oneLine(final String s, final int max) {
    final StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      final char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : ' ');
    }
    return b.toString();
  }
}
