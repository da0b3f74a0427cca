package dev.sigstream.testing.registry;

/** How the test registry authenticates clients. */
public enum RegistryAuth {
  /** Anonymous pull and push. */
  NONE,
  /** HTTP Basic against an htpasswd file (bcrypt, from {@code htpasswd -Bbn}). */
  BASIC,
  /** Distribution token auth: a Bearer challenge whose realm is a loopback token server run by the harness. */
  BEARER
}
