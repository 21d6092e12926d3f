// The one Content Security Policy of the UI, for the headless server and for Electron alike:
// scripts and styles only from our own bundle, connections only to our own origin (the API
// WebSocket), nothing framed, no plugins, no inline code.
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
