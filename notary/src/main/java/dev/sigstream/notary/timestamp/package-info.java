/**
 * RFC 3161 timestamps (SPEC-NOTES section 11): {@link dev.sigstream.notary.timestamp.TimestampVerifier} (adapter
 * {@link dev.sigstream.notary.timestamp.BcTimestampVerifier}, BouncyCastle TSP/CMS) checks countersignatures against
 * the TSA trust store; {@link dev.sigstream.notary.timestamp.TsaClient} (adapter {@link
 * dev.sigstream.notary.timestamp.HttpTsaClient}) obtains them when signing. Verification never throws for bad input.
 */
package dev.sigstream.notary.timestamp;
