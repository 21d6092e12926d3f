// The receipt that prints by itself after an approval (receipt.printed): when it did not print,
// the printer's named failure is said for a while in a banner, without stopping the next sale;
// the receipt stays reprintable from the journal. A later successful print clears it.
import { useEffect, useState } from 'preact/hooks';
import type { PrintFailureCode } from '../../core/api/receipts.js';
import type { ApiClient } from '../api-client.js';

const shownMs = 20_000;

export function useReceiptPrinted(client: ApiClient): PrintFailureCode | null {
  const [failure, setFailure] = useState<{ code: PrintFailureCode; atMs: number } | null>(null);
  useEffect(
    () =>
      client.on('receipt.printed', (printed) => {
        if (printed.printed) setFailure(null);
        else if (printed.failure) setFailure({ code: printed.failure, atMs: Date.now() });
      }),
    [client],
  );
  useEffect(() => {
    if (!failure) return;
    const timer = setTimeout(() => setFailure(null), shownMs);
    return () => clearTimeout(timer);
  }, [failure]);
  return failure?.code ?? null;
}
