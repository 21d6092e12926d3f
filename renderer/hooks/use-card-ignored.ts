// A card presented while no charge is open is ignored by the runtime (reader.cardIgnored); the
// merchant gets a brief notice so the customer is not left thinking they paid.
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api-client.js';

/** Long enough to read a short sentence twice. */
export const cardIgnoredNoticeMs = 6000;

/** The time of the last ignored card while its notice is shown, else null. */
export function useCardIgnored(client: ApiClient): number | null {
  const [atMs, setAtMs] = useState<number | null>(null);

  useEffect(() => client.on('reader.cardIgnored', (event) => setAtMs(event.atMs)), [client]);

  useEffect(() => {
    if (atMs === null) return;
    const timer = setTimeout(() => setAtMs(null), cardIgnoredNoticeMs);
    return () => clearTimeout(timer);
  }, [atMs]);

  return atMs;
}
