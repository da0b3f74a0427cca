/**
 * An in-memory registry for tests of everything above the registry client: the verification path, the stream
 * topology and demos. Ships in {@code oci} (as {@code MockProducer} ships in kafka-clients) because {@code testing}
 * cannot depend on {@code oci} without a reactor cycle.
 */
package dev.sigstream.oci.memory;
