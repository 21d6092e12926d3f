// The printed receipt's words per language, for the receipt and day report layouts.
import type { Locale } from '../../../core/api/preferences.js';
import { en, type ReceiptLabels } from './en.js';
import { fa } from './fa.js';
import { tr } from './tr.js';

export type { ReceiptLabels } from './en.js';

export const receiptLabels: Readonly<Record<Locale, ReceiptLabels>> = { en, tr, fa };
