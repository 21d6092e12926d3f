// The confirmation codes an R30x/ZFM module answers in the first payload byte of every ack, as
// the R305/R307/ZFM-20 user manuals list them, by name. Drivers map names to outcomes (no finger,
// poor image, no match) or to named DeviceErrors; a code no manual lists keeps its number in the
// name so a log line still says what the module sent.

export const r30xConfirmationCodes = {
  0x00: 'ok',
  0x01: 'packet_receive_error',
  0x02: 'no_finger',
  0x03: 'enroll_image_failed',
  0x06: 'image_too_disordered',
  0x07: 'too_few_feature_points',
  0x08: 'finger_does_not_match',
  0x09: 'finger_not_found',
  0x0a: 'merge_failed',
  0x0b: 'page_out_of_range',
  0x0c: 'template_read_failed',
  0x0d: 'template_upload_failed',
  0x0e: 'cannot_receive_data',
  0x0f: 'image_upload_failed',
  0x10: 'delete_failed',
  0x11: 'clear_library_failed',
  0x13: 'wrong_password',
  0x15: 'no_valid_image',
  0x18: 'flash_write_error',
  0x19: 'undefined_error',
  0x1a: 'invalid_register',
  0x1b: 'bad_register_configuration',
  0x1c: 'wrong_notepad_page',
  0x1d: 'port_operation_failed',
  0x1f: 'library_full',
  0x20: 'address_error',
  0x21: 'password_required',
} as const satisfies Record<number, string>;

export type R30xConfirmationName = (typeof r30xConfirmationCodes)[keyof typeof r30xConfirmationCodes];

/** Byte values by name, for the drivers and the simulator to write readable comparisons. */
export const R30xConfirmation = Object.fromEntries(
  Object.entries(r30xConfirmationCodes).map(([code, name]) => [name, Number(code)]),
) as { readonly [Name in R30xConfirmationName]: number };

/** The code's name, or `code_0xNN` for one no manual lists. */
export function confirmationName(code: number): string {
  const known = (r30xConfirmationCodes as Record<number, string>)[code];
  return known ?? `code_0x${code.toString(16).padStart(2, '0')}`;
}
