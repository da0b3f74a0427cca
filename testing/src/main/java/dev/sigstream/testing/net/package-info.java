/** Network fault and distance injection for tests and benchmarks: a TCP proxy that delays, and can be cut. */
package dev.sigstream.testing.net;
