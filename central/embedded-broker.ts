// The embedded MQTT broker (aedes) that `npm start` and `devpay serve --sim` run in-process so a
// demo needs nothing installed. It listens on loopback only. With users, it authenticates each
// client and enforces the same topic rules as the Mosquitto ACL (core/wire/topics.ts): a
// terminal publishes only its own requests and reads only its own answers and central's
// presence. aedes speaks MQTT 3.1.1, so clients of the embedded broker use protocol version 4.
import { createServer, type Server } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { Aedes, type Client } from 'aedes';
import { mayPublish, maySubscribe, type BrokerRole } from '../core/wire/topics.js';

export interface EmbeddedBroker {
  readonly url: string;
  readonly port: number;
  /** MQTT protocol version clients must use with this broker. */
  readonly protocolVersion: 4;
  close(): Promise<void>;
}

export interface BrokerUser {
  username: string;
  password: string;
  who: BrokerRole;
}

const roles = new WeakMap<Client, BrokerRole>();

function passwordMatches(expected: string, offered: Buffer | undefined): boolean {
  const expectedBytes = Buffer.from(expected);
  return offered !== undefined && offered.length === expectedBytes.length && timingSafeEqual(offered, expectedBytes);
}

/** Starts the broker; without users it admits anyone on loopback (tests of other parts only). */
export async function startEmbeddedBroker(options: { port?: number; users?: BrokerUser[] } = {}): Promise<EmbeddedBroker> {
  const users = options.users;
  const broker = await Aedes.createBroker(
    users
      ? {
          authenticate: (client, username, password, done) => {
            const user = users.find((candidate) => candidate.username === username);
            if (!user || !passwordMatches(user.password, password)) return done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
            roles.set(client, user.who);
            done(null, true);
          },
          authorizePublish: (client, packet, callback) => {
            // MQTT 3.1.1 has no refusal for a publish: aedes disconnects a client that tries
            // one it may not make. Wills are checked against their owner's role like any publish.
            const who = client ? roles.get(client) : undefined;
            callback(who && mayPublish(who, packet.topic) ? null : new Error(`not authorized to publish ${packet.topic}`));
          },
          authorizeSubscribe: (client, subscription, callback) => {
            const who = roles.get(client);
            // A refused filter is answered with a failure code (128) in the SUBACK; the client stays.
            callback(null, who && maySubscribe(who, subscription.topic) ? subscription : null);
          },
        }
      : {},
  );
  // Small MQTT packets must not wait for delayed ACKs (Nagle's algorithm): no delay on every socket.
  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    broker.handle(socket);
  });
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
