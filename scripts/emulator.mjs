// The SchAcc emulator's binary (examples/emulator), for what starts it: `npm start`, `npm test`, `npm run bench`
// and the browser tests (tests/e2e/harness.mjs). `npm run build` builds only the SDK, so each of them builds the
// emulator here first; cargo does nothing when it is up to date. SCHACC_EMULATOR_BIN names a binary to use as it is.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const emulatorBinary = process.env.SCHACC_EMULATOR_BIN ?? join(root, 'target/debug/schacc-emulator');
let built = Boolean(process.env.SCHACC_EMULATOR_BIN);

/** Builds the emulator (once per process) unless SCHACC_EMULATOR_BIN names one; returns the binary's path. */
export function buildEmulator() {
  if (!built) {
    const cargo = spawnSync('cargo', ['build', '--quiet', '-p', 'schacc-emulator'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (cargo.status !== 0) throw new Error(`cargo build -p schacc-emulator failed (${cargo.error ?? `exit ${cargo.status}`})`);
    built = true;
  }
  return emulatorBinary;
}
