#!/usr/bin/env bash
# Builds the root filesystem of Sigstream's container image base, without Docker and without any base image
# (Docker Hub is not reachable from the build machines): a jlink'ed Java runtime with just the modules the
# application uses (jdeps), plus the shared libraries that runtime links against (ldd), copied from this machine.
# Jib (app/pom.xml, profile `jib`) puts it under the application's layers on `scratch`.
#
#   scripts/jre-root.sh OUT_DIR APP_JAR LIB_DIR
#
# OUT_DIR is recreated; APP_JAR is the application jar, LIB_DIR holds its runtime dependencies (app/target/lib).
set -euo pipefail
out=${1:?usage: jre-root.sh OUT_DIR APP_JAR LIB_DIR}
jar=${2:?usage: jre-root.sh OUT_DIR APP_JAR LIB_DIR}
lib=${3:?usage: jre-root.sh OUT_DIR APP_JAR LIB_DIR}
cp_=$(find "$lib" -name '*.jar' | sort | tr '\n' ':')
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
rm -rf "$out"
mkdir -p "$out/opt" "$out/etc" "$out/tmp" "$out/var/lib/sigstream"

# Modules: what jdeps finds, plus what is reached only by reflection or service loading (TLS ciphers, DNS, JMX
# for Kafka's metrics, the zip file system, jdk.unsupported for Kafka, RocksDB and Netty).
modules=$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
  --class-path "$cp_" "$jar" | tail -n 1)
modules="$modules,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.unsupported,jdk.zipfs,jdk.management,java.management,jdk.localedata"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$out/opt/java"

# The C libraries the runtime needs, at the paths the dynamic linker looks for them (dereferenced: no symlinks).
# The AWT, sound and font libraries of java.desktop (needed only for java.beans) are never loaded: skipped.
find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) \
  ! -regex '.*/lib\(awt\|awt_xawt\|awt_headless\|splashscreen\|jawt\|fontmanager\|jsound\|lcms\|javajpeg\|mlib_image\)\.so' -print0 \
  | xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}' \
  | sort -u | while read -r so; do
    mkdir -p "$out$(dirname "$so")"
    cp -L "$so" "$out$so"
  done
# RocksDB (Kafka Streams state stores) ships its JNI library in a jar and needs the C++ runtime.
for lib in libstdc++.so.6 libgcc_s.so.1; do
  # awk reads to the end (no early exit): under pipefail, ldconfig killed by SIGPIPE would fail the build (exit 141).
  p=$(ldconfig -p | awk -v l="$lib" '!found && $1 == l && /x86-64/ {print $NF; found = 1}')
  [[ -n "$p" ]] && mkdir -p "$out$(dirname "$p")" && cp -L "$p" "$out$p"
done
# A user for uid 65532 (non-root), so the runtime has a name and a home.
printf 'root:x:0:0:root:/root:/sbin/nologin\nsigstream:x:65532:65532:sigstream:/var/lib/sigstream:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nsigstream:x:65532:\n' > "$out/etc/group"
echo "jre-root: $(du -sh "$out" | cut -f1) in $out (modules: $modules)"
