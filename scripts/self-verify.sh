#!/usr/bin/env bash
# Sigstream eats its own cooking, with no Docker engine:
#   1. builds the `sigstream` image with Jib and pushes it to a local docker-registry (Debian's package) whose push
#      notifications go to a running `sigstream run` (embedded Kafka, ingest, verifier, notifier);
#   2. makes the image's CycloneDX SBOM (cyclonedx-maven-plugin) and attaches it as a referrer (`sigstream attach`);
#   3. signs the image and the SBOM with `sigstream sign` (a throwaway key from `sigstream demo --trust-only`; CI with a
#      real key passes SELF_VERIFY_KEY and SELF_VERIFY_CERT_CHAIN and SELF_VERIFY_NOTATION_CONFIG);
#   4. verifies both with `sigstream verify`, and waits for the pipeline's verdict on the image (PASS, with a signed
#      SBOM) from the query API;
#   5. as root, unpacks the image's layers and runs its own java as uid 65532 (`sigstream --version`): the image runs.
# Prints the image build time and the total. Exit 0 only when every step passed.
#
#   scripts/self-verify.sh            (Maven runs online: Jib refuses offline mode even for a local registry)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
work="$root/app/target/self-verify"
rm -rf "$work"
mkdir -p "$work"
t_start=$(date +%s)
mvn_opts=(-B -q)

say() { printf 'self-verify: %s\n' "$*"; }
fail() { printf 'self-verify: FAILED: %s\n' "$*" >&2; exit 1; }
command -v docker-registry >/dev/null || fail "needs Debian's docker-registry package (apt-get install docker-registry)"

free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  fail "no free port"
}

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if mountpoint -q "$work/rootfs/proc" 2>/dev/null; then umount "$work/rootfs/proc"; fi
}
trap cleanup EXIT

registry="127.0.0.1:$(free_port)"
http_port=$(free_port)
repo="$registry/sigstream/sigstream"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' app/pom.xml | head -n 1)

# --- the distribution (app jar + lib) and, in the same build, the image: Jib pushes at `package`
say "building and pushing $repo:$version with Jib"
t_image=$(date +%s)
# The registry must be up before Jib pushes; its notifications queue until ingest is up (Distribution retries).
secret="Bearer $(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<EOF
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry/data}, delete: {enabled: true}}
http: {addr: $registry}
notifications:
  endpoints:
    - name: sigstream
      url: http://127.0.0.1:$http_port/v1/events/ci
      headers: {Authorization: ["$secret"]}
      timeout: 2s
      threshold: 3
      backoff: 1s
      ignoredmediatypes: [application/octet-stream]
      ignore: {actions: [pull]}
EOF
docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://$registry/v2/" && break; sleep 0.1; done
curl -sf -o /dev/null "http://$registry/v2/" || fail "docker-registry did not start (see $work/registry/log)"

./mvnw "${mvn_opts[@]}" -Pjib -pl app -am package -DskipTests -Dsigstream.image="$repo:$version" \
  -Djib.allowInsecureRegistries=true > "$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "image build"; }
image_seconds=$(( $(date +%s) - t_image ))
digest=$(cat app/target/jib-image.digest)
image="$repo@$digest"
say "pushed $image in ${image_seconds} s"

sig() { java -XX:TieredStopAtLevel=1 -cp "app/target/sigstream-app-$version.jar:app/target/lib/*" dev.sigstream.app.Sigstream "$@"; }

# --- trust material: a throwaway PKI unless CI brings its own key
if [[ -n "${SELF_VERIFY_KEY:-}" ]]; then
  key=$SELF_VERIFY_KEY; chain=${SELF_VERIFY_CERT_CHAIN:?SELF_VERIFY_CERT_CHAIN}
  notation=${SELF_VERIFY_NOTATION_CONFIG:?SELF_VERIFY_NOTATION_CONFIG}
else
  sig demo --trust-only --data-dir "$work/trust" > /dev/null
  key="$work/trust/signer/signer.key"; chain="$work/trust/signer/signer.crt"; notation="$work/trust/notation"
fi

# --- the pipeline, verifying what this registry notifies about
cat > "$work/sigstream.yaml" <<EOF
dataDir: $work/run
kafka: {embedded: {port: 0, controllerPort: 0}}
http: {host: 127.0.0.1, port: $http_port}
verifier:
  notationConfig: $notation
  registries: $registry
  insecureRegistries: $registry
  graceWindow: 20s
EOF
SIGSTREAM_INGEST_SOURCES=ci SIGSTREAM_INGEST_SOURCE_CI_TYPE=distribution SIGSTREAM_INGEST_SOURCE_CI_AUTH=header \
  SIGSTREAM_INGEST_SOURCE_CI_REGISTRIES="$registry" SIGSTREAM_INGEST_SOURCE_CI_SECRET="$secret" \
  java -cp "app/target/sigstream-app-$version.jar:app/target/lib/*" dev.sigstream.app.Sigstream run \
  --config "$work/sigstream.yaml" > "$work/run.log" 2>&1 &
pids+=($!)

# --- SBOM of the image's contents, attached as a referrer
say "making the CycloneDX SBOM"
./mvnw "${mvn_opts[@]}" -pl app org.cyclonedx:cyclonedx-maven-plugin:2.9.3:makeBom -DoutputFormat=json \
  -DoutputName=bom -DincludeTestScope=false > "$work/sbom.log" 2>&1 || { tail -20 "$work/sbom.log"; fail "SBOM"; }
sbom=$(sig attach --insecure-registry "$registry" --file app/target/bom.json \
  --artifact-type application/vnd.cyclonedx+json "$image")
say "attached SBOM $sbom"

# --- sign both, verify both
sig sign --insecure-registry "$registry" --key "$key" --cert-chain "$chain" "$image" > /dev/null
sig sign --insecure-registry "$registry" --key "$key" --cert-chain "$chain" "$repo@$sbom" > /dev/null
sig verify --insecure-registry "$registry" --notation-config "$notation" "$image" || fail "sigstream verify (image)"
sig verify --insecure-registry "$registry" --notation-config "$notation" "$repo@$sbom" || fail "sigstream verify (SBOM)"

# --- through the pipeline: the verdict the query API serves for the image
say "waiting for the pipeline's verdict on $image"
verdict=""
for _ in $(seq 120); do
  verdict=$(curl -s "http://127.0.0.1:$http_port/v1/verdicts/$image" || true)
  if grep -q '"outcome":"PASS"' <<<"$verdict" && grep -q '"signed":true' <<<"$verdict"; then break; fi
  sleep 1
done
grep -q '"outcome":"PASS"' <<<"$verdict" || { tail -30 "$work/run.log"; fail "no PASS verdict from the pipeline: $verdict"; }
grep -q '"signed":true' <<<"$verdict" || fail "the pipeline's verdict does not list the signed SBOM: $verdict"
say "pipeline verdict: PASS, SBOM signed"

# --- the image runs: its layers unpacked, its own java started as uid 65532 (root only: chroot and /proc)
if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$work/rootfs"
  manifest=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' "http://$registry/v2/sigstream/sigstream/manifests/$digest")
  for layer in $(grep -o '"digest":"sha256:[0-9a-f]*"' <<<"$manifest" | tail -n +2 | cut -d'"' -f4); do
    curl -sf "http://$registry/v2/sigstream/sigstream/blobs/$layer" | tar --warning=no-unknown-keyword -xz -C "$work/rootfs"
  done
  mkdir -p "$work/rootfs/proc"
  if mount -t proc proc "$work/rootfs/proc" 2>/dev/null; then
    classpath=$(cat "$work/rootfs/app/jib-classpath-file")
    out=$(chroot --userspec=65532:65532 "$work/rootfs" /opt/java/bin/java -cp "$classpath" dev.sigstream.app.Sigstream --version) \
      || fail "the image's runtime does not start"
    umount "$work/rootfs/proc"
    [[ "$out" == "sigstream $version" ]] || fail "the image printed '$out', expected 'sigstream $version'"
    say "the image runs: $out"
  else
    say "cannot mount /proc here (a sandbox without CAP_SYS_ADMIN): the image's runtime was not started"
  fi
else
  say "not root: the image's runtime was not started (needs chroot)"
fi
say "OK in $(( $(date +%s) - t_start )) s (image build and push ${image_seconds} s)"
