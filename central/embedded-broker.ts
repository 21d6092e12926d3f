// The embedded MQTT broker (aedes) that `npm start` and `devpay serve --sim` run in-process so a
// demo needs nothing installed. It listens on loopback only. With users, it authenticates each
// client and enforces the same topic rules as the Mosquitto ACL (core/wire/topics.ts): a
// terminal publishes only its own requests and reads only its own answers and central's
// presence. A client id is bound to its user name (Mosquitto's use_username_as_clientid), so a
// client with one terminal's password cannot take central's or another terminal's connection
// over (aedes drops the older connection of a repeated client id and publishes its last will).
// aedes speaks MQTT 3.1.1, so clients of the embedded broker use protocol version 4.
import { createServer, type Server } from 'node:net';
import { silentLog, type LogSink } from '../core/log-sink.js';
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
/** The will topic each connecting client asked for, seen in preConnect and checked in authenticate. */
const willTopics = new WeakMap<Client, string>();

function passwordMatches(expected: string, offered: Buffer | undefined): boolean {
  const expectedBytes = Buffer.from(expected);
  return offered !== undefined && offered.length === expectedBytes.length && timingSafeEqual(offered, expectedBytes);
}

/** Starts the broker; without users it admits anyone on loopback (tests of other parts only). */
export async function startEmbeddedBroker(options: { port?: number; users?: BrokerUser[]; log?: LogSink } = {}): Promise<EmbeddedBroker> {
  const users = options.users;
  const broker = await Aedes.createBroker(
    users
      ? {
          preConnect: (client, packet, callback) => {
            if (packet.will) willTopics.set(client, packet.will.topic);
            callback(null, true);
          },
          authenticate: (client, username, password, done) => {
            const user = users.find((candidate) => candidate.username === username);
            if (!user || !passwordMatches(user.password, password)) return done(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
            // Refused before aedes registers the client id, so the connection holding it stays.
            if (client.id !== user.username) return done(Object.assign(new Error('client id is not the user name'), { returnCode: 2 }), false);
            // aedes checks a will only when it fires; refusing it here keeps a terminal from
            // even connecting with a last will on central's presence.
            const willTopic = willTopics.get(client);
            if (willTopic !== undefined && !mayPublish(user.who, willTopic)) return done(Object.assign(new Error(`not authorized to will ${willTopic}`), { returnCode: 5 }), false);
            roles.set(client, user.who);
            done(null, true);
          },
          authorizePublish: (client, packet, callback) => {
            // MQTT 3.1.1 has no refusal for a publish: aedes disconnects a client that tries
            // one it may not make. Wills are checked against their owner's role again when they fire.
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
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A listening server's later errors (out of file descriptors, say) are logged; the broker and
  // its connected clients go on.
  server.on('error', (error) => (options.log ?? silentLog).warn({ err: error.message }, 'embedded broker server error'));
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
