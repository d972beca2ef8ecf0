#!/usr/bin/env bash
# Makes TEST signing material for Identity (RFC 8224) with openssl: never use it in production.
#
#   make-test-cert.sh OUT_DIR [DAYS]
#
# Writes, in OUT_DIR:
#   ca.cert.pem          a self-signed test CA (the verifier's trust anchor, sip.identity.verification.trust-anchors)
#   signer.key.pem       the signing key: EC P-256 (ES256), unencrypted PKCS#8 (sip.identity.signing.key-file)
#   signer.cert.pem      the signer's chain, leaf then CA (sip.identity.signing.certificate-file; what x5u serves)
#   signer.p12           the same key and chain as PKCS#12, password from $IDENTITY_P12_PASSWORD (default: test-only)
#   other.key.pem        an unrelated P-256 key and its self-signed certificate other.cert.pem ("wrong key" cases)
#   other.cert.pem
# DAYS (default 30) is the leaf's validity. Existing files are replaced.
set -euo pipefail
out=${1:?usage: make-test-cert.sh OUT_DIR [DAYS]}
days=${2:-30}
password=${IDENTITY_P12_PASSWORD:-test-only}
mkdir -p "$out"
cd "$out"

ec_key() { # PKCS#8, as the gateway's PEM reader wants it
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

ec_key ca.key.pem
openssl req -x509 -new -key ca.key.pem -sha256 -days $((days + 1)) -subj "/O=Anti-fraud gateway TEST/CN=Test Identity CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.cert.pem

ec_key signer.key.pem
openssl req -new -key signer.key.pem -subj "/O=Anti-fraud gateway TEST/CN=Test rcd signer" -out signer.csr 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' > signer.ext
openssl x509 -req -in signer.csr -CA ca.cert.pem -CAkey ca.key.pem -CAcreateserial -sha256 -days "$days" \
  -extfile signer.ext -out signer.leaf.pem 2>/dev/null
cat signer.leaf.pem ca.cert.pem > signer.cert.pem
openssl pkcs12 -export -inkey signer.key.pem -in signer.leaf.pem -certfile ca.cert.pem -name signer \
  -passout "pass:$password" -out signer.p12

ec_key other.key.pem
openssl req -x509 -new -key other.key.pem -sha256 -days "$days" -subj "/CN=Not the signer" -out other.cert.pem

rm -f signer.csr signer.ext signer.leaf.pem ca.cert.srl
chmod 600 ./*.key.pem signer.p12
echo "make-test-cert: test material in $out (signer sha256 $(openssl x509 -in signer.cert.pem -noout -fingerprint -sha256 | cut -d= -f2))"
