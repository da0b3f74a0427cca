/**
 * Test harnesses shared by every module's tests: {@link dev.sigstream.testing.MutableClock} (time moved by hand, never
 * slept), {@link dev.sigstream.testing.Reference} (upstream vectors and payloads read in place from {@code
 * ../shared/reference}, never copied), and the sub-packages: a real Kafka broker ({@code kafka}), a real OCI registry
 * ({@code registry}) and a BouncyCastle test PKI ({@code pki}).
 */
package dev.sigstream.testing;
