#!/usr/bin/python3
"""Independent verifier of an RFC 8224 Identity header carrying an RFC 9795 rcd PASSporT.

Not this project's code: PyJWT (JWS, ES256) and pyca/cryptography (X.509), as Debian ships them
(python3-jwt, python3-cryptography; scripts/install-test-deps.sh installs them). It reads the
Identity value, checks the PASSporT against a certificate and the expected call, prints ACCEPT and
exits 0, or prints REJECT: <reason> and exits 1.

  verify_identity.py --identity 'eyJ...;info=<https://...>;alg=ES256;ppt=rcd' \
      --cert signer.cert.pem [--ca ca.cert.pem] --orig 8696110 --dest 8613800138000 \
      --nam 国家反诈中心 --crn '...' [--jcard card.json] [--max-age 60] [--now EPOCH]

Checks: Identity syntax (RFC 8224 section 4: info=<URI>, alg=ES256, ppt=rcd); JWS header alg ES256,
typ passport, ppt rcd, x5u equal to info (RFC 8225 section 6, RFC 9795); ES256 signature under the
first certificate of --cert; that certificate valid now and, with --ca, issued by the CA (signature
and validity; cryptography 38 has no path builder, so one level is checked); iat within --max-age of
now (RFC 8224 section 6.2.4); orig.tn and dest.tn (RFC 8225 section 5.2); rcd.nam and crn equal to the
expected display name and call reason (RFC 9795); with --jcard, rcdi["/jcl"] a digest string (RFC 9795
"rcdi": sha256-, sha384- or sha512- and the digest in base64, as W3C Subresource Integrity writes it;
base64url and missing padding are accepted too) of the JCS (RFC 8785) canonical form of that file's
JSON, so a jCard re-serialised with other spacing or key order still matches. The canonical form is
written here with the standard library's json module (keys sorted by UTF-16 code units, RFC 8785
section 3.2.3), not with the gateway's code.
"""
import argparse
import base64
import datetime
import hashlib
import json
import re
import sys
import time

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec


class Reject(Exception):
    pass


def parse_identity(value):
    parts = value.strip().split(";")
    token = parts[0].strip()
    if not re.fullmatch(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", token):
        raise Reject("Identity does not start with a full-form JWS")
    params = {}
    for p in parts[1:]:
        name, _, val = p.partition("=")
        params[name.strip().lower()] = val.strip()
    info = params.get("info", "")
    if not (info.startswith("<") and info.endswith(">")):
        raise Reject("Identity info parameter is not <URI>")
    # RFC 8224 section 4 allows the ppt value quoted or not.
    if params.get("alg") != "ES256" or params.get("ppt", "").strip('"') != "rcd":
        raise Reject("Identity alg/ppt parameters are not ES256/rcd")
    return token, info[1:-1]


def load_certs(path):
    with open(path, "rb") as f:
        data = f.read()
    return x509.load_pem_x509_certificates(data) if hasattr(x509, "load_pem_x509_certificates") \
        else [x509.load_pem_x509_certificate(b) for b in re.findall(
            rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", data, re.S)]


def check_certificate(leaf, ca_path, now):
    when = datetime.datetime.utcfromtimestamp(now)
    if not (leaf.not_valid_before <= when <= leaf.not_valid_after):
        raise Reject("certificate outside its validity period")
    if ca_path:
        ca = load_certs(ca_path)[0]
        if leaf.issuer != ca.subject:
            raise Reject("certificate not issued by the CA")
        try:
            ca.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes,
                                   ec.ECDSA(leaf.signature_hash_algorithm))
        except Exception:
            raise Reject("certificate signature does not verify under the CA")


def canonical_json(value):
    """RFC 8785 (JCS) serialisation for JSON without fractional numbers (a jCard has none)."""
    if isinstance(value, dict):
        names = sorted(value, key=lambda k: k.encode("utf-16-be"))
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + canonical_json(value[k])
                              for k in names) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, float):
        if value != int(value) or abs(value) >= 2 ** 53:
            raise Reject("jCard has a number JCS would write as a fraction: %r" % value)
        value = int(value)
    return json.dumps(value, ensure_ascii=False)


def digest_matches(value, content):
    algorithm, _, encoded = (value or "").partition("-")
    hashes = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
    if algorithm.lower() not in hashes or not encoded:
        return False
    encoded = encoded.rstrip("=")
    try:
        claimed = base64.b64decode(encoded + "=" * (-len(encoded) % 4),
                                   altchars=b"-_" if ("-" in encoded or "_" in encoded) else None,
                                   validate=True)
    except ValueError:
        return False
    return claimed == hashes[algorithm.lower()](content).digest()


def verify(args):
    token, info = parse_identity(args.identity)
    header = jwt.get_unverified_header(token)
    if header.get("alg") != "ES256" or header.get("typ") != "passport" or header.get("ppt") != "rcd":
        raise Reject("JWS header is not alg ES256, typ passport, ppt rcd")
    if header.get("x5u") != info:
        raise Reject("x5u differs from the Identity info parameter")
    leaf = load_certs(args.cert)[0]
    now = args.now if args.now is not None else int(time.time())
    check_certificate(leaf, args.ca, now)
    try:
        claims = jwt.decode(token, leaf.public_key(), algorithms=["ES256"],
                            options={"verify_iat": False, "verify_exp": False, "verify_nbf": False,
                                     "verify_aud": False, "verify_iss": False})
    except jwt.InvalidSignatureError:
        raise Reject("signature does not verify")
    except jwt.PyJWTError as e:
        raise Reject("JWS does not decode: %s" % e)
    iat = claims.get("iat")
    if not isinstance(iat, int) or abs(now - iat) > args.max_age:
        raise Reject("iat not within %d s of now" % args.max_age)
    if claims.get("orig", {}).get("tn") != args.orig:
        raise Reject("orig.tn is not %s" % args.orig)
    if args.dest not in claims.get("dest", {}).get("tn", []):
        raise Reject("dest.tn does not hold %s" % args.dest)
    rcd = claims.get("rcd", {})
    if rcd.get("nam") != args.nam:
        raise Reject("rcd.nam is not the expected display name")
    if claims.get("crn") != args.crn:
        raise Reject("crn is not the expected call reason")
    if args.jcard:
        with open(args.jcard, "rb") as f:
            try:
                card = json.loads(f.read().decode("utf-8"))
            except ValueError as e:
                raise Reject("the jCard is not JSON: %s" % e)
        if not digest_matches(claims.get("rcdi", {}).get("/jcl"), canonical_json(card).encode("utf-8")):
            raise Reject("rcdi /jcl is not the digest of the jCard's canonical form")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--identity", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--ca")
    p.add_argument("--orig", required=True)
    p.add_argument("--dest", required=True)
    p.add_argument("--nam", required=True)
    p.add_argument("--crn", required=True)
    p.add_argument("--jcard")
    p.add_argument("--max-age", type=int, default=60)
    p.add_argument("--now", type=int)
    args = p.parse_args()
    try:
        verify(args)
    except Reject as e:
        print("REJECT: %s" % e)
        return 1
    print("ACCEPT")
    return 0


if __name__ == "__main__":
    sys.exit(main())
