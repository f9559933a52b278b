// The sandboxed preload: exposes one named function per contract channel and one `on…`
// subscription per event, never ipcRenderer itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_CHANNELS,
  REQUEST_CHANNELS,
  ipcChannelName,
  subscriptionName,
} from '../main/core/contract/channels.ts';

type Listener = (payload: unknown) => void;

const api: Record<string, unknown> = {};

for (const channel of REQUEST_CHANNELS) {
  const ipcName = ipcChannelName(channel);
  api[channel] = (args: unknown) => ipcRenderer.invoke(ipcName, args ?? {});
}

for (const channel of EVENT_CHANNELS) {
  const ipcName = ipcChannelName(channel);
  api[subscriptionName(channel)] = (listener: Listener) => {
    // Remove exactly the wrapper added here, so repeated subscribe/unsubscribe never leaks.
    const wrapper = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(ipcName, wrapper);
    return () => {
      ipcRenderer.removeListener(ipcName, wrapper);
    };
  };
}

// A drag must start while the renderer's dragstart runs: a one-way send, not an invoke.
api.startDrag = (recordingIds: unknown) => {
  ipcRenderer.send(ipcChannelName('startDrag'), recordingIds);
};

contextBridge.exposeInMainWorld('recvault', Object.freeze(api));
