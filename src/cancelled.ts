/**
 * The answer a prompt gives when the person pressed Esc, Ctrl-C or Ctrl-D. In its own module so
 * that steps can test for it without loading the prompt library (diagnose never needs it).
 */
export const CANCELLED: unique symbol = Symbol('cancelled');
export type Cancellable<T> = T | typeof CANCELLED;
