// A one-line banner: an error (role alert: said at once) or a notice (role status: said when
// the reader is idle), its text already in the merchant's language.
export function NoticeBanner({ tone, testId, text }: { tone: 'error' | 'warning'; testId: string; text: string }) {
  return (
    <p class={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {text}
    </p>
  );
}
