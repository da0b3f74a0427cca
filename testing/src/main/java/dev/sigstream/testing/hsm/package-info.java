/** A real PKCS#11 token for tests: SoftHSM 2 ({@link dev.sigstream.testing.hsm.SoftHsm}). */
package dev.sigstream.testing.hsm;
