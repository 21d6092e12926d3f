// The terminal's display preferences through a real `devpay serve --sim`: the defaults follow the
// machine (its TZ), a change is merged, validated, pushed to every open screen as
// preferences.changed and remembered across a restart; a preference never chosen keeps following
// the machine's time zone, one chosen stays whatever the machine says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Preferences } from '../../core/api/preferences.js';
import { startDevpay, type DevpayProcess } from '../harness/devpay-process.js';
import { ApiCallError, openApiSession, type ApiSession } from '../harness/api-session.js';
import { freshDir } from '../harness/output-dir.js';
import { signIn } from '../harness/operator-sign-in.js';

async function serve(dataDir: string, timeZone: string): Promise<{ server: DevpayProcess; api: ApiSession }> {
  const server = await startDevpay(['serve', '--sim', '--no-pcsc', '--data', dataDir, '--port', '0'], { env: { TZ: timeZone } });
  return { server, api: await openApiSession(server.url) };
}

async function stop(running: { server: DevpayProcess; api: ApiSession }): Promise<void> {
  await running.api.close();
  assert.equal(await running.server.stop(), 0, running.server.output().slice(-2000));
}

test('preferences: defaults from the machine, partial changes pushed and remembered across restarts', { timeout: 90_000 }, async () => {
  const dataDir = freshDir('preferences');
  let running = await serve(dataDir, 'Asia/Tehran');
  try {
    // The receipt's customer copy is a setting, for an operator who may change settings.
    await signIn(running.api);
    assert.deepEqual(await running.api.call<Preferences>('preferences.get'), { locale: 'en', timeZone: 'Asia/Tehran', irrDisplay: 'rial', printCustomerCopy: true }, "English, the machine's zone, rials");

    const other = await openApiSession(running.server.url);
    try {
      const changed = await running.api.call<Preferences>('preferences.set', { locale: 'fa', irrDisplay: 'toman', printCustomerCopy: false });
      assert.deepEqual(changed, { locale: 'fa', timeZone: 'Asia/Tehran', irrDisplay: 'toman', printCustomerCopy: false }, 'merged over what was there');
      assert.deepEqual(await other.nextEvent<Preferences>('preferences.changed', () => true, 5_000), changed, 'another screen hears of it');
    } finally {
      await other.close();
    }
    for (const bad of [{ locale: 'de' }, { timeZone: 'Mars/Olympus' }, { irrDisplay: 'dinar' }, { colour: 'red' }]) {
      await assert.rejects(running.api.call('preferences.set', bad), (error: unknown) => error instanceof ApiCallError && error.code === 'invalid_params', JSON.stringify(bad));
    }
    assert.deepEqual(await running.api.call<Preferences>('preferences.get'), { locale: 'fa', timeZone: 'Asia/Tehran', irrDisplay: 'toman', printCustomerCopy: false }, 'refused changes change nothing');
    await stop(running);

    // The machine moved: the zone never chosen follows it, the chosen language stays.
    running = await serve(dataDir, 'Europe/Istanbul');
    assert.deepEqual(await running.api.call<Preferences>('preferences.get'), { locale: 'fa', timeZone: 'Europe/Istanbul', irrDisplay: 'toman', printCustomerCopy: false });
    assert.equal((await running.api.call<Preferences>('preferences.set', { timeZone: 'Asia/Tehran' })).timeZone, 'Asia/Tehran');
    await stop(running);

    running = await serve(dataDir, 'America/New_York');
    assert.deepEqual(await running.api.call<Preferences>('preferences.get'), { locale: 'fa', timeZone: 'Asia/Tehran', irrDisplay: 'toman', printCustomerCopy: false }, 'a chosen zone stays');
  } finally {
    await running.api.close();
    await running.server.stop();
  }
});
