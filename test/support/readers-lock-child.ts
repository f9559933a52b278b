// Another process on the same data directory, for the archive-readers lock tests: holds the
// lock as an export does ("read") or as an archive move does ("move"), says so, and keeps it
// until it is killed. Plain `node` (type stripping).
import { holdArchiveForMove, holdArchiveForReading } from '../../main/core/archive/readers-lock.ts';

const [dataDir, mode] = process.argv.slice(2) as [string, 'read' | 'move'];
const lock = mode === 'move' ? holdArchiveForMove(dataDir) : holdArchiveForReading(dataDir);
process.stdout.write('held\n');
setInterval(() => void lock, 60_000);
