// IPC channel names between the preload and main; the preload uses no others.
export const bridgeChannels = {
  /** page → main: please relay a channel to the runtime. */
  connect: 'devpay:connect',
  /** main → page: the MessagePort of that channel. */
  port: 'devpay:port',
  /** main → page: the runtime restarted; drop the old port and connect again. */
  reset: 'devpay:reset',
} as const;
