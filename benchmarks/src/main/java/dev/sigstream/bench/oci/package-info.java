/**
 * Hostile-input figures: header parse time per KiB at two sizes, and a hostile registry's run time against the deadline.
 */
package dev.sigstream.bench.oci;
