package dev.sigstream.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sigstream.oci.Descriptor;
import dev.sigstream.oci.Manifest;
import dev.sigstream.oci.MediaTypes;
import dev.sigstream.oci.Reference;
import dev.sigstream.oci.RegistryClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sigstream attach}: push a file (an SBOM, a scan report) as an OCI 1.1 referrer of an artifact, like
 * {@code oras attach}: an image manifest with {@code artifactType}, the empty config, the file as its one layer and
 * the artifact as {@code subject}; listed through the referrers API, or the tag-schema index where there is none.
 */
@Command(name = "attach", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Attach a file (an SBOM, a report) to an artifact as an OCI referrer.",
        "Prints the referrer's manifest digest on stdout; sign it with `sigstream sign`."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:attached", "2:usage or configuration error", "3:registry or network error"})
public final class AttachCommand extends CliCommand {

  /** Files larger than this are not read (an SBOM of a large image is a few MiB). */
  static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "REFERENCE",
      description = "registry/repository@digest or registry/repository:tag (resolved once to a digest)")
  String reference;

  @Option(names = {"-f", "--file"}, paramLabel = "FILE", required = true, description = "The file to attach.")
  Path file;

  @Option(names = "--artifact-type", paramLabel = "TYPE", required = true,
      description = "The referrer's artifactType, e.g. application/vnd.cyclonedx+json.")
  String artifactType;

  @Option(names = "--media-type", paramLabel = "TYPE",
      description = "The layer's media type (default: the artifact type).")
  String mediaType;

  @Mixin
  RegistryOptions registry = new RegistryOptions();

  @Override
  int run() throws IOException {
    final Reference ref = parseReference(reference);
    if (!Files.isRegularFile(file)) {
      throw CliException.usage("file " + file + " does not exist");
    }
    if (Files.size(file) > MAX_FILE_BYTES) {
      throw CliException.usage("file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
    }
    if (!artifactType.matches("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}")) {
      throw CliException.usage("--artifact-type must be a media type (type/subtype), not '" + artifactType + "'");
    }
    final String layerType = mediaType == null ? artifactType : mediaType;
    final byte[] content = Files.readAllBytes(file);
    final RegistryClient client = registry.client(ref, this);
    final Reference repo = Reference.repository(ref.registry(), ref.repository());
    final Reference subjectRef = ref.isDigest() ? ref
        : repo.withDigest(found(client.resolve(ref).join(), "resolving " + ref).digest());
    final Manifest subject = found(client.manifest(subjectRef).join(), "fetching " + subjectRef);

    final Descriptor config = found(client.pushBlob(repo, MediaTypes.OCI_EMPTY, new byte[] {'{', '}'}).join(),
        "pushing the empty config blob");
    final Descriptor layer = found(client.pushBlob(repo, layerType, content).join(), "pushing " + file);
    final ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    m.put("artifactType", artifactType);
    m.set("config", descriptor(MediaTypes.OCI_EMPTY, config.digest().toString(), 2));
    final ObjectNode l = descriptor(layerType, layer.digest().toString(), content.length);
    l.putObject("annotations").put("org.opencontainers.image.title", file.getFileName().toString());
    m.putArray("layers").add(l);
    m.set("subject", descriptor(subject.mediaType(), subjectRef.digest().toString(), subject.bytes().length));
    final Descriptor pushed = found(client.pushReferrer(repo, MediaTypes.OCI_MANIFEST, JSON.writeValueAsBytes(m))
        .join(), "pushing the referrer manifest");
    err().println("Attached " + file.getFileName() + " (" + artifactType + ") to " + subjectRef);
    err().flush();
    out().println(pushed.digest());
    return ExitCodes.OK;
  }

  private static ObjectNode descriptor(final String mediaType, final String digest, final long size) {
    final ObjectNode n = JSON.createObjectNode();
    n.put("mediaType", mediaType);
    n.put("digest", digest);
    n.put("size", size);
    return n;
  }
}
