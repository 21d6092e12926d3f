// What an authentication answer says to the person at the terminal, in their language: failed
// matches, tries left, a lockout a supervisor must lift. Null for answers that say nothing
// (signed in, no finger yet).
import type { AuthResult } from '../../../core/api/operators.js';
import type { Translator } from '../../i18n/translator.js';

export function authMessage(i18n: Translator, result: AuthResult): string | null {
  switch (result.outcome) {
    case 'signed_in':
    case 'no_finger':
      return null;
    case 'no_match':
      return i18n.t('signIn.noMatch', { count: result.failedMatches });
    case 'poor_image':
      return i18n.t('signIn.poorImage');
    case 'reader_unavailable':
      return i18n.t('signIn.readerUnavailable');
    case 'pin_not_allowed':
      return i18n.t('signIn.pinNotAllowed');
    case 'pin_invalid':
      return i18n.t('signIn.pinInvalid', { count: result.attemptsLeft });
    case 'locked_out':
      return i18n.t('signIn.lockedOut');
    case 'not_permitted':
      return i18n.t('signIn.notPermitted');
    case 'setup_code_invalid':
      return i18n.t('setup.codeInvalid', { count: result.attemptsLeft });
  }
}
