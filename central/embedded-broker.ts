// The embedded MQTT broker (aedes) that `npm start` and `devpay serve --sim` run in-process so a
// demo needs nothing installed. It listens on loopback only. aedes speaks MQTT 3.1.1, so clients
// of the embedded broker connect with protocol version 4 (see docs/sync-protocol.md).
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  /** MQTT protocol version clients must use with this broker. */
  readonly protocolVersion: 4;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: { port?: number } = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const server: Server = createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded broker has no TCP address');
  return {
    url: `mqtt://127.0.0.1:${address.port}`,
    port: address.port,
    protocolVersion: 4,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
