package dev.sigstream.signing.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.util.Configuration;
import com.azure.core.util.ConfigurationBuilder;
import com.azure.core.util.ConfigurationSource;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Azure identity and transport every Azure adapter shares: one credential (so Key Vault, Trusted Signing and
 * ACR use the same workload identity) and one HTTP client, the JDK HttpClient adapter (no netty: a short-lived CLI
 * should not start event-loop threads, and the rest of Sigstream already speaks through the JDK client).
 *
 * @param credential Entra ID credential; never logged
 * @param httpClient transport for every Azure call
 * @param maxRetries retries of throttled (429) and transient (5xx, I/O) calls; each waits for {@code Retry-After}
 *     when the service sends it, else for exponential backoff from {@code baseDelay} to {@code maxDelay}
 * @param operationTimeout the time one signing operation may take in all, retries and polling included
 * @param verifyChallengeResource Key Vault's check that the vault's authentication challenge names a resource in
 *     the vault's own domain (on in production; tests against a loopback fake turn it off)
 */
public record AzureConnection(TokenCredential credential, HttpClient httpClient, int maxRetries, Duration baseDelay,
    Duration maxDelay, Duration operationTimeout, boolean verifyChallengeResource) {

  /** Retries after throttling or a transient fault. */
  public static final int DEFAULT_MAX_RETRIES = 4;
  public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(60);

  public AzureConnection {
    Objects.requireNonNull(credential, "credential");
    Objects.requireNonNull(httpClient, "httpClient");
    Objects.requireNonNull(baseDelay, "baseDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(operationTimeout, "operationTimeout");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
  }

  /**
   * {@code DefaultAzureCredential} configured from {@code env} (the process environment in production: {@code
   * AZURE_CLIENT_ID}, {@code AZURE_TENANT_ID}, {@code AZURE_FEDERATED_TOKEN_FILE} for workload identity, {@code
   * AZURE_CLIENT_SECRET} or certificate variables for a service principal, the managed identity endpoint, else the
   * Azure CLI login), over the JDK HTTP client with {@code requestTimeout} per request.
   */
  public static AzureConnection fromEnvironment(final Map<String, String> env, final Duration requestTimeout) {
    final HttpClient http = new JdkHttpClientBuilder()
        .connectionTimeout(requestTimeout).responseTimeout(requestTimeout).readTimeout(requestTimeout).build();
    final Map<String, String> vars = new HashMap<>(env);
    final ConfigurationSource source = ignored -> vars;
    final Configuration config = new ConfigurationBuilder(ignored -> Map.of(), ignored -> Map.of(), source).build();
    final TokenCredential credential = new DefaultAzureCredentialBuilder().configuration(config).httpClient(http)
        .build();
    return new AzureConnection(credential, http, DEFAULT_MAX_RETRIES, Duration.ofMillis(800), Duration.ofSeconds(30),
        DEFAULT_OPERATION_TIMEOUT, true);
  }

  /** The same connection with {@code timeout} for a whole operation. */
  public AzureConnection withOperationTimeout(final Duration timeout) {
    return new AzureConnection(credential, httpClient, maxRetries, baseDelay, maxDelay, timeout,
        verifyChallengeResource);
  }

  /** azure-core retry options: honour {@code Retry-After} (the default strategy does), else back off exponentially. */
  RetryOptions retryOptions() {
    return new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(maxRetries).setBaseDelay(baseDelay)
        .setMaxDelay(maxDelay));
  }

  @Override
  public String toString() {
    return "AzureConnection[" + credential.getClass().getSimpleName() + "]";
  }
}
