/** JDK networking helpers shared by {@code oci} and {@code notary}: a TLS context initialised on first use. */
package dev.sigstream.net;
