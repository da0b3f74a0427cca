/**
 * The verdict query API and the Gatekeeper external-data provider, answered from the verdict index without registry round trips.
 */
package dev.sigstream.verifier.api;
