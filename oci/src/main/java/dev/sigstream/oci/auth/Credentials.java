package dev.sigstream.oci.auth;

import java.util.Objects;

/**
 * How Sigstream authenticates to one registry. Used for the HTTP Basic challenge and for the bearer-token flow
 * (as basic credentials at the token realm, or as an OAuth2 refresh token). Secrets are {@link Secret}s, so
 * {@code toString()} never shows them.
 */
public sealed interface Credentials {

  Credentials ANONYMOUS = new Anonymous();

  /** No credentials: anonymous token requests, no Authorization header for Basic challenges. */
  record Anonymous() implements Credentials {}

  /** Username and password (or an access token used as password). */
  record Basic(String username, Secret password) implements Credentials {
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }
  }

  /**
   * An OAuth2 refresh token for the registry's token endpoint (Docker {@code identitytoken}, or the result of an
   * ACR exchange): the client POSTs {@code grant_type=refresh_token} to the realm.
   */
  record RefreshToken(Secret token) implements Credentials {
    public RefreshToken {
      Objects.requireNonNull(token, "token");
    }
  }

  /**
   * Azure Container Registry: an Entra ID access token from {@code source} is exchanged at the registry's
   * {@code /oauth2/exchange} for an ACR refresh token, which is then used like {@link RefreshToken} at
   * {@code /oauth2/token}. {@code tenant} may be null.
   */
  record AcrEntraExchange(EntraTokenSource source, String tenant) implements Credentials {
    public AcrEntraExchange {
      Objects.requireNonNull(source, "source");
    }
  }
}
