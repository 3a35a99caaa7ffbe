/** Crash-safe whole-file replacement: write a temp file, fsync it, rename over the target, fsync the dir. */
import { close, closeSync, fsync, fsyncSync, open, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** Writes every byte of `bytes` at `position` (writeSync may write fewer than asked). */
export function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, position + written);
}

export function writeFileAtomic(path: string, data: Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeAll(fd, data, 0);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncDir(dirname(path));
}

/** Makes a rename durable. Best effort: some filesystems refuse fsync on a directory. */
export function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // not supported here; the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `syncDir` on the thread pool (after a rename on the event loop); best effort, errors are ignored. */
export function syncDirAsync(dir: string): void {
  open(dir, "r", (openErr, fd) => {
    if (openErr !== null) return;
    fsync(fd, () => close(fd, () => undefined));
  });
}
