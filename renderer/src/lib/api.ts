import type { RecvaultApi } from '../../../main/core/contract/api.ts';
import { createBridgeApi } from './bridge-client.ts';

declare global {
  interface Window {
    recvault?: RecvaultApi;
  }
}

const TOKEN_KEY = 'recvault-bridge-token';

/**
 * Picks the transport once at start-up: the Electron preload's API when present, else the
 * loopback bridge of the page's own origin. Nothing else in the renderer knows which.
 */
function pickApi(): RecvaultApi {
  if (window.recvault) return window.recvault;
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of the address bar, history and screenshots.
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? '';
  const wsUrl = `ws://${window.location.host}/bridge?token=${encodeURIComponent(token)}`;
  return createBridgeApi(wsUrl);
}

export const api: RecvaultApi = pickApi();
