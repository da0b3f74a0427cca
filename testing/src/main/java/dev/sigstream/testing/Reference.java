package dev.sigstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the upstream reference material (Notary vectors, webhook payloads, manifests) that tests read in place.
 * It is never copied into the repository.
 *
 * <p>Resolution order: system property {@code sigstream.reference.dir} (set by the Maven build to
 * {@code <repo>/../shared/reference}), then environment variable {@code SIGSTREAM_REFERENCE_DIR}, then
 * {@code ../shared/reference} relative to the working directory. When the directory is absent, tests fail with a
 * message that says where it was looked for; they never skip.
 */
public final class Reference {

  private Reference() {}

  /** The reference root directory. */
  public static Path dir() {
    final String prop = System.getProperty("sigstream.reference.dir");
    final String env = System.getenv("SIGSTREAM_REFERENCE_DIR");
    final Path dir;
    if (prop != null && !prop.isBlank()) {
      dir = Path.of(prop);
    } else if (env != null && !env.isBlank()) {
      dir = Path.of(env);
    } else {
      dir = Path.of("..", "shared", "reference");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("Reference material not found at " + dir.toAbsolutePath().normalize()
          + ". Tests read ../shared/reference in place; set -Dsigstream.reference.dir=... or SIGSTREAM_REFERENCE_DIR"
          + " to its location.");
    }
    return dir.toAbsolutePath().normalize();
  }

  /** A file or directory under the reference root, failing clearly when it is missing. */
  public static Path resolve(final String relative) {
    final Path p = dir().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("Reference file missing: " + p + " (the reference set at " + dir() + " is incomplete)");
    }
    return p;
  }
}
