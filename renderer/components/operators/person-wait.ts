// How long the screen waits for calls that wait on a person: a finger on the reader (the runtime
// answers no_finger at its reader's own deadline, well before this) or a two-capture enrolment.
export const captureTimeoutMs = 60_000;
export const enrolTimeoutMs = 120_000;
