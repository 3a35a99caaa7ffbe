/** Crash-safe whole-file replacement: write a temp file, fsync it, rename over the target, fsync the dir. */
import { close, closeSync, fsync, fsyncSync, open, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export function writeFileAtomic(path: string, data: Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, "w", 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
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
