import type { SecretCipher } from './secrets/cipher.ts';

/** What only the shell around the engine can do (Electron dialogs, the OS keychain…). */
export interface PlatformServices {
  /** Encrypts secrets typed into the app; null where none is available (the CLI). */
  cipher: SecretCipher | null;
  /** Native dialogs; absent in the browser bridge, where the UI asks for a typed path. */
  pickDirectory?: (title: string) => Promise<string | null>;
  pickSaveFile?: (title: string, defaultName: string) => Promise<string | null>;
  showItemInFolder?: (absolutePath: string) => void;
  /** The URL a renderer plays an archived recording from. */
  mediaUrl: (recordingId: number) => string;
}

/** The native dialogs of the platform, for the handler table. */
export type Dialogs = Pick<PlatformServices, 'pickDirectory' | 'pickSaveFile' | 'showItemInFolder'>;
