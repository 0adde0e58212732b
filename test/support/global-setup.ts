/** Starts shared test services once per run. The Firestore emulator is added in test/support/firestore-emulator.ts. */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
