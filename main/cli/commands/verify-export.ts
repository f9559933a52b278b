import { exportVerdict, type ExportFinding } from '../../core/contract/export-verification.ts';
import { parseCommand } from '../args.ts';
import type { CliIo } from '../io.ts';
import { Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';
import { withoutEngine } from '../without-engine.ts';

export const VERIFY_EXPORT_HELP = `Usage: recvault verify-export PATH [--public-key FILE] [--tsa-ca FILE] [--json]

Checks an export package (a bag folder, or the .zip of one, made with "recvault export --bag")
the way its recipient would, with nothing but the package: every payload file against
manifest-sha256.txt, the tag files against tagmanifest-sha256.txt, Payload-Oxum, each custody
record against its payload file and the audit entries, the audit entries' hash chain up to the
checkpoint's head, the checkpoint's Ed25519 signature, and the RFC 3161 timestamp's imprint when
there is one. Needs no data directory and no provider account.

  --public-key FILE  the sender's public key (PEM), got from them apart from the package;
                     without it the package's own custody/public-key.pem is used (which only
                     proves the package is consistent, not who made it)
  --tsa-ca FILE      the time-stamping authority's CA certificate (PEM): also checks the
                     timestamp's signature and certificate chain (with openssl)

Prints every finding and one verdict. Exit code 0 only when every check holds, 1 otherwise.`;

const OPTIONS = { 'public-key': { type: 'string' }, 'tsa-ca': { type: 'string' } } as const;

export async function verifyExportCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS, true);
  if (values.help) return printHelp(io, VERIFY_EXPORT_HELP);
  if (positionals.length !== 1)
    throw new UsageError('Give the package to check: recvault verify-export PATH.');
  const out = new Output(io, values.json);
  return withoutEngine(io, async (api) => {
    const report = await unwrap(
      api.exportVerify({
        path: positionals[0]!,
        ...(values['public-key'] ? { publicKeyFile: values['public-key'] } : {}),
        ...(values['tsa-ca'] ? { tsaCaFile: values['tsa-ca'] } : {}),
      }),
    );
    out.result(report, () => [...report.findings.map(findingLine), exportVerdict(report)]);
    return report.ok ? EXIT_OK : EXIT_ITEMS_FAILED;
  });
}

function findingLine(finding: ExportFinding): string {
  const subject = finding.subject ? `${finding.subject}: ` : '';
  return `${finding.ok ? 'ok  ' : 'FAIL'}  ${finding.check.padEnd(15)} ${subject}${finding.message}`;
}
