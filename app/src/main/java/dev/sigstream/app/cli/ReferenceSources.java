package dev.sigstream.app.cli;

import dev.sigstream.oci.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The references one {@code verify} call checks, from the command line, {@code --from-file} and
 * {@code --from-manifests}, in that order, each once (the first place it was named is kept, for messages). Everything
 * read is capped before it is parsed; a reference that does not parse is a usage error naming where it came from.
 */
final class ReferenceSources {

  /** Most references in one call. */
  static final int MAX_REFERENCES = 10_000;
  /** Largest {@code --from-file} input. */
  static final int MAX_LIST_BYTES = 1024 * 1024;
  /** Largest single manifest file (Helm output of a big chart is a few hundred KiB). */
  static final int MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
  /** Most manifest bytes in one call, over every file. */
  static final long MAX_TOTAL_MANIFEST_BYTES = 32L * 1024 * 1024;
  /** Most manifest files read from directories, and how deep a directory is walked. */
  static final int MAX_MANIFEST_FILES = 10_000;
  static final int MAX_WALK_DEPTH = 16;

  private final Map<String, String> origins = new LinkedHashMap<>();
  private long manifestBytes;
  private final CliCommand ctx;
  private boolean stdinUsed;

  ReferenceSources(final CliCommand ctx) {
    this.ctx = ctx;
  }

  /** The references, parsed, in order; a {@link CliException} (usage) for any problem. */
  List<Reference> references() {
    if (origins.isEmpty()) {
      throw CliException.usage("no reference: name one or more, or use --from-file or --from-manifests");
    }
    final List<Reference> refs = new ArrayList<>(origins.size());
    for (final Map.Entry<String, String> e : origins.entrySet()) {
      try {
        refs.add(Reference.parse(e.getKey()));
      } catch (final IllegalArgumentException ex) {
        throw CliException.usage("invalid reference" + (e.getValue().isEmpty() ? "" : " (" + e.getValue() + ")")
            + ": " + ex.getMessage());
      }
    }
    return refs;
  }

  void argument(final String ref) {
    add(ref, "");
  }

  /** One reference per line; blank lines and {@code #} comments are skipped. {@code -} reads stdin. */
  void file(final String file) {
    final String text = read(file, MAX_LIST_BYTES, "--from-file");
    int n = 0;
    for (final String line : text.split("\n", -1)) {
      n++;
      final int hash = line.indexOf('#');
      final String ref = (hash >= 0 ? line.substring(0, hash) : line).trim();
      if (!ref.isEmpty()) {
        add(ref, name(file) + ":" + n);
      }
    }
  }

  /**
   * Every {@code image:} in a YAML file, a directory of them ({@code .yaml}, {@code .yml}, {@code .json}, walked in
   * name order) or stdin ({@code -}, e.g. {@code helm template ... |}).
   */
  void manifests(final String pathOrDash) {
    if ("-".equals(pathOrDash) || !Files.isDirectory(Path.of(pathOrDash))) {
      manifestFile(pathOrDash);
      return;
    }
    final List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of(pathOrDash), MAX_WALK_DEPTH)) {
      files = s.filter(Files::isRegularFile).filter(ReferenceSources::isManifest).sorted()
          .limit(MAX_MANIFEST_FILES + 1L).toList();
    } catch (final IOException | RuntimeException e) {
      throw CliException.usage("--from-manifests: cannot read " + pathOrDash + ": " + e.getMessage());
    }
    if (files.size() > MAX_MANIFEST_FILES) {
      throw CliException.usage("--from-manifests: more than " + MAX_MANIFEST_FILES + " manifest files under "
          + pathOrDash);
    }
    for (final Path f : files) {
      manifestFile(f.toString());
    }
  }

  private void manifestFile(final String file) {
    final String text = read(file, MAX_MANIFEST_BYTES, "--from-manifests");
    manifestBytes += text.length();
    if (manifestBytes > MAX_TOTAL_MANIFEST_BYTES) {
      throw CliException.usage("--from-manifests: more than " + MAX_TOTAL_MANIFEST_BYTES / (1024 * 1024)
          + " MiB of manifests in one call");
    }
    try {
      for (final String image : ManifestImages.extract(text, MAX_MANIFEST_BYTES)) {
        add(image, name(file));
      }
    } catch (final IllegalArgumentException e) {
      throw CliException.usage("--from-manifests: " + name(file) + ": " + e.getMessage());
    }
  }

  private static boolean isManifest(final Path p) {
    final String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private void add(final String ref, final String origin) {
    origins.putIfAbsent(ref, origin);
    if (origins.size() > MAX_REFERENCES) {
      throw CliException.usage("more than " + MAX_REFERENCES + " references in one call");
    }
  }

  private static String name(final String file) {
    return "-".equals(file) ? "stdin" : file;
  }

  /** At most {@code max} bytes of strict UTF-8 from {@code file} (or stdin), else a usage error. */
  private String read(final String file, final int max, final String option) {
    final byte[] bytes;
    if ("-".equals(file)) {
      if (stdinUsed) {
        throw CliException.usage(option + ": stdin ('-') can be read only once");
      }
      stdinUsed = true;
      bytes = readCapped(ctx.stdin, max, option, "stdin");
    } else {
      final Path p = Path.of(file);
      if (!Files.isRegularFile(p)) {
        throw CliException.usage(option + ": " + file + " is not a readable file");
      }
      try (InputStream in = Files.newInputStream(p)) {
        bytes = readCapped(in, max, option, file);
      } catch (final IOException e) {
        throw CliException.usage(option + ": cannot read " + file + ": " + e.getMessage());
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (final CharacterCodingException e) {
      throw CliException.usage(option + ": " + name(file) + " is not UTF-8 text");
    }
  }

  private static byte[] readCapped(final InputStream in, final int max, final String option, final String what) {
    try {
      final byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw CliException.usage(option + ": " + what + " is larger than " + max / 1024 + " KiB");
      }
      return b;
    } catch (final IOException e) {
      throw CliException.usage(option + ": cannot read " + what + ": " + e.getMessage());
    }
  }
}
