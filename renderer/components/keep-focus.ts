// Buttons that act on the sale without being a place to work from (keypad keys, currencies,
// languages, the simulator's cards) must not take the focus when pressed with a pointer: the
// focus stays on the amount, so a keyboard at the counter goes on typing digits and Enter
// still charges. Keyboard users still reach and press them as usual.
export function keepFocusOnPointerDown(event: MouseEvent): void {
  event.preventDefault();
}
