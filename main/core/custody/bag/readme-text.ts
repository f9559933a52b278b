// custody/README.txt: how a recipient checks the package with standard tools, no Recvault.

export function custodyReadme(input: {
  software: string;
  organization: string | null;
  timestamped: boolean;
  files: number;
  /** Some payload name holds a %, which the manifests write as %25 (RFC 8493 §2.1.3). */
  percentInNames: boolean;
}): string {
  const lines = [
    'PROVENANCE AND CUSTODY OF THIS PACKAGE',
    '======================================',
    '',
    `This folder is a BagIt bag (RFC 8493) written by ${input.software}${
      input.organization ? ` for ${input.organization}` : ''
    }.`,
    `Its ${input.files} payload file(s) are under data/. The tag files say where each came from`,
    "and let you check, without the sender's computer, that nothing changed since it was",
    'downloaded from the call-recording provider. Run every command below from the folder that',
    'holds bagit.txt (unzip the package first if you received a .zip).',
    '',
    '1. The files are complete and unchanged',
    '',
    '     sha256sum -c manifest-sha256.txt',
    '     sha256sum -c tagmanifest-sha256.txt',
    '',
    '   Every line must say OK. manifest-sha256.txt lists every payload file; the tag manifest',
    '   covers bagit.txt, bag-info.txt, the manifest and everything in custody/.',
    ...(input.percentInNames
      ? [
          '   Some file names hold a "%", which BagIt writes as "%25" in the manifests: sha256sum',
          '   reports those files missing; recvault verify-export (or a BagIt tool) decodes them.',
        ]
      : []),
    '',
    "2. The checkpoint was signed by the archive's key",
    '',
    '     openssl pkeyutl -verify -pubin -inkey custody/public-key.pem -rawin \\',
    '       -in custody/checkpoint.json -sigfile custody/checkpoint.sig',
    '',
    '   It must print "Signature Verified Successfully". Compare the key\'s fingerprint',
    '   (openssl pkey -pubin -in custody/public-key.pem -outform DER | sha256sum) with the one',
    '   the sender gave you by another channel (their Settings screen shows it): anyone can',
    '   sign with a key of their own.',
    '',
  ];
  if (input.timestamped) {
    lines.push(
      '3. A time-stamping authority saw the checkpoint (RFC 3161)',
      '',
      '     openssl ts -verify -data custody/checkpoint.json -in custody/checkpoint.tsr \\',
      '       -CAfile TSA-CA.pem',
      '',
      "   TSA-CA.pem is the authority's certificate chain (from the authority, not from this",
      '   package). "Verification: OK" proves checkpoint.json existed at the time in',
      '   openssl ts -reply -in custody/checkpoint.tsr -text.',
      '',
    );
  } else {
    lines.push(
      '3. No trusted timestamp: the sender had no time-stamping authority configured, so the',
      "   checkpoint's time is the sender's own clock.",
      '',
    );
  }
  lines.push(
    '4. The custody records and the audit chain',
    '',
    "   custody/records.jsonl has one JSON line per payload file: the source recording's",
    '   provider, account, remote id, download time, storage host, its SHA-256 when it was',
    "   downloaded (originalSha256), the conversion applied, and the output's SHA-256 (which",
    '   must equal its line in manifest-sha256.txt). auditSeqs names the audit entries about it.',
    '',
    "   custody/audit-entries.jsonl holds the archive's audit log from the first entry about",
    "   these recordings up to the entry checkpoint.json names as its head. Each entry's hash is",
    '   SHA-256 over the canonical JSON (keys sorted, no whitespace) of',
    '     {seq, at, actor, action, subject, details, prevHash}',
    "   and prevHash is the previous entry's hash. Because each hash covers the whole entry,",
    '   the links can only be recomputed with every entry in between, so they are all included,',
    '   including entries about other recordings. Recompute each hash, check each prevHash, and',
    "   check that the last entry's seq and hash are the head in checkpoint.json: then the",
    '   signed checkpoint vouches for every entry, and the "recording.archived" entry of each',
    '   recording for its originalSha256.',
    '',
    '   A record\'s "merkle" field proves the same without the audit log: its originalSha256 is',
    '   leaf leafIndex of the RFC 6962 Merkle tree (SHA-256; leaf = H(0x00 || digest), node =',
    '   H(0x01 || left || right)) whose root and size checkpoint.json signs as archive.merkleRoot',
    '   and archive.fileCount; auditPath holds the sibling hashes from the leaf up.',
    '',
    '   With Recvault installed, "recvault verify-export PATH" does all of the above (no account',
    '   or archive needed) and prints one verdict with every finding.',
    '',
  );
  return lines.join('\n');
}
