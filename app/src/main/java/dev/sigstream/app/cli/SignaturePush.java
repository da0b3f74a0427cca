package dev.sigstream.app.cli;

import dev.sigstream.notary.TargetDescriptor;
import dev.sigstream.notary.sign.SignatureManifest;
import dev.sigstream.notary.sign.SignedEnvelope;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.FetchResult;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;

/**
 * Pushes a Notary signature as a referrer of what it signs: the empty config blob, the envelope blob, then the
 * signature manifest (referrers API, or the tag-schema fallback index). The one upload path of {@code sigstream sign}
 * and {@code sigstream demo}.
 */
public final class SignaturePush {

  private SignaturePush() {
  }

  /**
   * Uploads {@code envelope} as a signature of {@code subject} in {@code repository}; returns the signature
   * manifest's descriptor, or the first failed step's result (named by {@code step}).
   */
  public static FetchResult<Descriptor> push(final RegistryClient client, final Reference repository,
      final TargetDescriptor subject, final SignedEnvelope envelope) {
    final FetchResult<Descriptor> config = client.pushBlob(repository, SignatureManifest.EMPTY_CONFIG_MEDIA_TYPE,
        SignatureManifest.EMPTY_CONFIG).join();
    if (!(config instanceof FetchResult.Found<Descriptor>)) {
      return config;
    }
    final FetchResult<Descriptor> blob = client.pushBlob(repository, envelope.mediaType(), envelope.envelope()).join();
    if (!(blob instanceof FetchResult.Found<Descriptor>)) {
      return blob;
    }
    return client.pushReferrer(repository, SignatureManifest.MEDIA_TYPE,
        SignatureManifest.of(subject, envelope).json()).join();
  }
}
