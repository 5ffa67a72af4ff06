/** Injection token for the TrubitApi implementation (the real client, or a fake in tests). */
export const TRUBIT_API = Symbol('TRUBIT_API');
