/** What a command may touch; `sidegate.ts` wires it to the real process, tests to buffers. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  /** Whole stdin as text (used to read secrets without putting them in argv). */
  readStdin(): Promise<string>;
}

export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    readStdin: async () => {
      const parts: Buffer[] = [];
      for await (const chunk of process.stdin) parts.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(parts).toString("utf8");
    },
  };
}

/** In-memory io for tests. */
export function memoryIo(env: NodeJS.ProcessEnv = {}, stdin = ""): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    env,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readStdin: () => Promise.resolve(stdin),
  };
  return io;
}
