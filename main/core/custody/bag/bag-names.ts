// The names of an export bag's files (RFC 8493 plus Recvault's custody/ tag files). The
// checker reads them from here too; the RFC's own rules it checks independently.
export const BAGIT_TXT = 'bagit.txt';
export const BAG_INFO_TXT = 'bag-info.txt';
export const MANIFEST = 'manifest-sha256.txt';
export const TAG_MANIFEST = 'tagmanifest-sha256.txt';
export const PAYLOAD_DIR = 'data';
export const CUSTODY = {
  readme: 'custody/README.txt',
  records: 'custody/records.jsonl',
  audit: 'custody/audit-entries.jsonl',
  checkpoint: 'custody/checkpoint.json',
  signature: 'custody/checkpoint.sig',
  timestamp: 'custody/checkpoint.tsr',
  publicKey: 'custody/public-key.pem',
} as const;
