// Text that is data, not language (a masked PAN, a payment id, a command to run): isolated and
// always left to right, so it never scrambles inside a right-to-left line, and marked
// data-i18n-exempt because no catalogue could translate it.
import type { ComponentChildren } from 'preact';

export function LtrText({ children, testId, class: className }: { children: ComponentChildren; testId?: string; class?: string }) {
  return (
    <bdi dir="ltr" class={className} data-i18n-exempt data-testid={testId}>
      {children}
    </bdi>
  );
}
