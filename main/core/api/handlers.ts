import { AppError } from '../app-error.ts';
import { verifyAudit } from '../audit/verify-audit.ts';
import { appendAudit } from '../audit/append-audit.ts';
import type { Engine } from '../engine.ts';
import { verifyArchive } from '../integrity/verify-archive.ts';
import { recordingPeaks } from '../media/peaks.ts';
import { resolveMedia } from '../media/resolve-media.ts';
import { moveArchive } from '../settings/move-archive.ts';
import { parseIds } from '../sync/parse-ids.ts';
import { prepareDragCopies } from '../drag/drag-files.ts';
import { APP_NAME, APP_VERSION } from '../version.ts';
import type { HandlerTable } from './dispatch.ts';

/** The one handler table: each contract channel answered by the engine's services. */
export function buildHandlers(
  engine: Engine,
  transport: 'electron' | 'bridge' | 'cli',
): HandlerTable {
  const { accounts, jobs, library, exports, settings, platform, db } = engine;
  return {
    appInfo: () => ({
      name: APP_NAME,
      version: APP_VERSION,
      dataDir: engine.paths.dataDir,
      archiveDir: engine.archiveDir(),
      transport: transport === 'electron' ? 'electron' : 'bridge',
      nativeDialogs: Boolean(platform.pickDirectory),
    }),

    accountsList: () => accounts.list(),
    accountsAdd: ({ provider, secret, ...input }) => {
      const view = accounts.add(provider, input, { secret });
      engine.events.emit('accountsChanged', {});
      return view;
    },
    accountsUpdate: ({ id, secret, ...input }) => {
      const view = accounts.update(id, input, secret ? { secret } : null);
      engine.events.emit('accountsChanged', {});
      return view;
    },
    accountsRemove: ({ id }) => {
      accounts.remove(id);
      engine.events.emit('accountsChanged', {});
      return { removed: true };
    },
    accountsTest: ({ id }) => accounts.test(id),

    idsParse: ({ text, wantUserId }) => parseIds(text, { wantUserId }),
    syncStart: ({ accountId, ...request }) => jobs.start(accountId, request),
    jobsList: () => jobs.list(),
    jobItems: ({ jobId, limit }) => jobs.items(jobId, limit),
    jobPause: ({ jobId }) => jobs.pause(jobId),
    jobResume: ({ jobId }) => jobs.resume(jobId),
    jobCancel: ({ jobId }) => jobs.cancel(jobId),
    jobRetryFailed: ({ jobId }) => jobs.retryFailed(jobId),

    librarySearch: ({ query, cursor, limit, withTotal }) =>
      library.search(query, cursor ?? null, limit, withTotal),
    recordingGet: ({ id }) => library.get(id),
    recordingUpdate: ({ id, notes, tags }) => library.update(id, { notes, tags }),
    recordingMedia: async ({ id }) => {
      const media = await resolveMedia(engine.archiveDir(), library.require(id));
      return { url: platform.mediaUrl(id), contentType: media.contentType, isVideo: media.isVideo };
    },
    recordingPeaks: async ({ id, buckets }) => {
      const recording = library.require(id);
      const media = await resolveMedia(engine.archiveDir(), recording);
      return recordingPeaks({
        ffmpegPath: engine.ffmpegPath(),
        file: media.absolutePath,
        sha256: recording.sha256!,
        channels: recording.channel === 'mixed' ? 2 : 1,
        buckets,
        cacheDir: engine.paths.cacheDir,
      });
    },

    exportStart: ({ recordingIds, query, destination, options }) =>
      exports.start({ recordingIds, query: query ?? null, destination, options }),
    exportCancel: ({ exportId }) => exports.cancel(exportId),
    exportsList: () => exports.list(),

    settingsGet: () => settings.view(),
    settingsUpdate: async ({ archiveDir, ...rest }) => {
      if (rest.concurrency) jobs.setConcurrency(rest.concurrency);
      if (archiveDir !== undefined && archiveDir !== settings.archiveDir) {
        if (jobs.list().some((job) => job.state === 'running')) {
          throw new AppError(
            'busy',
            'Pause or finish the running sync jobs before moving the archive.',
          );
        }
        await moveArchive(db, settings.archiveDir, archiveDir);
        settings.update({ archiveDir });
        appendAudit(db, {
          actor: engine.actor,
          action: 'archive.moved',
          subject: 'archive',
          details: { to: archiveDir },
        });
      }
      return settings.update(rest);
    },

    pickDirectory: async ({ title }) => ({ path: (await platform.pickDirectory?.(title)) ?? null }),
    pickSaveFile: async ({ title, defaultName }) => ({
      path: (await platform.pickSaveFile?.(title, defaultName)) ?? null,
    }),
    showInFolder: ({ exportId }) => {
      const target = exports.revealPath(exportId);
      if (!platform.showItemInFolder) return { shown: false };
      platform.showItemInFolder(target);
      return { shown: true };
    },

    dragPrepare: async ({ recordingIds }) => ({
      preparing: await prepareDragCopies(engine, recordingIds),
    }),

    verifyArchive: async () => (await verifyArchive(db, engine.archiveDir(), engine.actor)).summary,
    verifyAudit: () => {
      const result = verifyAudit(db);
      appendAudit(db, {
        actor: engine.actor,
        action: 'audit.verified',
        subject: 'audit',
        details: { ok: result.ok, checked: result.checked, problems: result.problems.length },
      });
      return {
        ok: result.ok,
        checked: result.checked,
        problems: result.problems.map((p) => ({ seq: p.seq, kind: p.kind, message: p.message })),
      };
    },
  };
}
