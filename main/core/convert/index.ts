// The export core's public surface, for the engine, the CLI and tests.
export { runExport, type ExportRequest, type ExportSummary } from './run-export.ts';
export type { ExportSource } from './source.ts';
export { ExportConflictError, type DestinationSpec } from './destination.ts';
export type { ExportedFile, ExportFailure } from './manifest.ts';
export type { ExportPhase, ExportProgressEvent } from './progress.ts';
export type { ConversionSettings } from './plan.ts';
