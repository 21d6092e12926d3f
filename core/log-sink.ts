// The logging interface that pure and library layers accept; the runtime passes pino, which
// satisfies it. Callers put structured context first and a fixed message second.
export interface LogSink {
  info(context: object, message: string): void;
  warn(context: object, message: string): void;
  error(context: object, message: string): void;
}

export const silentLog: LogSink = { info() {}, warn() {}, error() {} };
