import { CHECKPOINT_FORMAT } from './checkpoint.ts';
import { MERKLE_TREE_DESCRIPTION } from './merkle.ts';

/** checkpoints/README.txt: what the folder holds and how to check it with standard tools. */
export const CHECKPOINTS_README = `Recvault checkpoints (${CHECKPOINT_FORMAT})

Each checkpoint is a signed statement: at this time the audit log's newest entry was
(audit.headSeq, audit.headHash) and the archive held archive.fileCount files whose SHA-256
digests give archive.merkleRoot.

  NNNNNN-YYYYMMDDTHHMMSSZ.json        the checkpoint: canonical JSON (keys sorted, no spaces,
                                      UTF-8, no trailing newline); these exact bytes are signed
  NNNNNN-YYYYMMDDTHHMMSSZ.json.sig    Ed25519 signature of the .json bytes (raw 64 bytes)
  NNNNNN-YYYYMMDDTHHMMSSZ.json.tsr    RFC 3161 TimeStampResp over SHA-256 of the .json bytes,
                                      when a time-stamping authority was configured
  NNNNNN-YYYYMMDDTHHMMSSZ.json.audit  the hashes of audit entries audit.range.fromSeq..toSeq,
                                      one per line; SHA-256 of their raw bytes concatenated is
                                      audit.range.entryHashesSha256
  public-key-<fingerprint>.pem        the signing key's public half; <fingerprint> (and the
                                      checkpoint's keyFingerprint) is SHA-256 of its DER SPKI

${MERKLE_TREE_DESCRIPTION}

Checks with standard tools:
  openssl pkeyutl -verify -pubin -inkey public-key-<fingerprint>.pem -rawin \\
    -in NNNNNN-….json -sigfile NNNNNN-….json.sig
  openssl ts -verify -data NNNNNN-….json -in NNNNNN-….json.tsr -CAfile <the TSA's CA>.pem
  openssl pkey -pubin -in public-key-<fingerprint>.pem -outform DER | sha256sum

"recvault audit verify" checks every checkpoint against the audit log.
`;
