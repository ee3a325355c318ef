"""The independent side of the DSSE interop test: securesystemslib and in-toto-attestation.

    dsse.py verify FILE PUBLIC_PEM   verify a trusca envelope (or bundle) with securesystemslib
                                     and validate its statement with in-toto-attestation; exit 1
                                     when either refuses it
    dsse.py sign ALGORITHM DIR       make a key pair with securesystemslib, sign an in-toto
                                     statement built with in-toto-attestation, and write
                                     DIR/envelope.json and DIR/public.pem
"""

import hashlib
import json
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
from in_toto_attestation.v1.statement import Statement
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import CryptoSigner, SSlibKey

PAYLOAD_TYPE = "application/vnd.in-toto+json"


def verify(path, public_pem):
    with open(path, "rb") as f:
        document = json.load(f)
    if "mediaType" in document:
        document = document["dsseEnvelope"]
    with open(public_pem, "rb") as f:
        public = serialization.load_pem_public_key(f.read())
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # trusca's key id: the SHA-256 of the key's SubjectPublicKeyInfo DER.
    key = SSlibKey.from_crypto(public, keyid=hashlib.sha256(spki).hexdigest())
    envelope = Envelope.from_dict(document)
    try:
        envelope.verify([key], 1)
    except VerificationError as e:
        print(f"securesystemslib refused it: {e}")
        return 1
    if envelope.payload_type != PAYLOAD_TYPE:
        print(f"payload type {envelope.payload_type}")
        return 1
    statement = Statement.copy_from_pb(
        json_format.Parse(envelope.payload, statement_pb2.Statement())
    )
    statement.validate()
    print(f"verified {key.keytype}/{key.scheme}: {statement.pb.predicate_type}")
    return 0


def sign(algorithm, out_dir):
    if algorithm == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        private = ec.generate_private_key(ec.SECP256R1())
    # The signature's keyid is securesystemslib's own, not trusca's.
    signer = CryptoSigner(private)
    subject = ResourceDescriptor(name="Cargo.lock", digest={"sha256": "ab" * 32})
    statement = Statement(
        [subject.pb],
        "https://cyclonedx.org/bom",
        {"bomFormat": "CycloneDX", "specVersion": "1.6"},
    )
    statement.validate()
    payload = json_format.MessageToJson(statement.pb).encode()
    envelope = Envelope(payload=payload, payload_type=PAYLOAD_TYPE, signatures={})
    envelope.sign(signer)
    with open(f"{out_dir}/envelope.json", "w") as f:
        json.dump(envelope.to_dict(), f)
    public = private.public_key()
    with open(f"{out_dir}/public.pem", "wb") as f:
        f.write(
            public.public_bytes(
                serialization.Encoding.PEM,
                serialization.PublicFormat.SubjectPublicKeyInfo,
            )
        )
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    sys.exit(verify(*rest) if command == "verify" else sign(*rest))
