// A print the merchant asked for (a receipt's reprint, a day report): busy while the printer
// works, then printed or the printer's named failure. Printing never blocks anything else on the
// screen: the failure is said, and the receipt or report stays printable.
import { useCallback, useRef, useState } from 'preact/hooks';
import type { PrintResult } from '../../core/api/receipts.js';

export type PrintRun =
  | { state: 'idle' }
  | { state: 'busy'; what: string }
  | { state: 'done'; what: string; result: PrintResult }
  | { state: 'failed'; what: string; failure: unknown };

export interface PrintController {
  run: PrintRun;
  print(what: string, request: () => Promise<PrintResult>): void;
}

export function usePrint(): PrintController {
  const [run, setRun] = useState<PrintRun>({ state: 'idle' });
  const busy = useRef(false);
  const print = useCallback((what: string, request: () => Promise<PrintResult>) => {
    if (busy.current) return;
    busy.current = true;
    setRun({ state: 'busy', what });
    request()
      .then(
        (result) => setRun({ state: 'done', what, result }),
        (failure: unknown) => setRun({ state: 'failed', what, failure }),
      )
      .finally(() => {
        busy.current = false;
      });
  }, []);
  return { run, print };
}
