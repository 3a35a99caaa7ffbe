import { test } from "node:test";
import assert from "node:assert/strict";
import { memoryIo } from "./io";
import { COMMANDS, dispatch } from "./sidegate";

test("--help lists every command on stdout, exit 0", async () => {
  for (const argv of [["--help"], ["-h"], ["help"]]) {
    const io = memoryIo();
    const r = await dispatch(argv, io);
    assert.equal(r.code, 0);
    for (const c of COMMANDS) assert.match(io.out, new RegExp(`\\n  ${c.name} `));
    assert.equal(io.err, "");
  }
});

test("no command or an unknown command → usage on stderr, exit 2", async () => {
  const none = memoryIo();
  assert.equal((await dispatch([], none)).code, 2);
  assert.match(none.err, /^Usage: sidegate/);
  const bad = memoryIo();
  assert.equal((await dispatch(["frobnicate"], bad)).code, 2);
  assert.match(bad.err, /unknown command "frobnicate"/);
  assert.match(bad.err, /Usage: sidegate <command>/);
  assert.equal(bad.out, "");
});

test("every command and subcommand answers --help with a usage text", async () => {
  for (const entry of COMMANDS) {
    const cmd = await entry.load();
    assert.equal(cmd.name, entry.name);
    const io = memoryIo();
    const r = await dispatch([entry.name, "--help"], io);
    assert.equal(r.code, 0, entry.name);
    assert.match(io.out, /^Usage: sidegate /, entry.name);
    const subs = [...io.out.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1] as string);
    if (!io.out.includes("<command>")) continue;
    assert.ok(subs.length > 0, `${entry.name} lists its subcommands`);
    for (const sub of subs) {
      const subIo = memoryIo();
      assert.equal((await dispatch([entry.name, sub, "--help"], subIo)).code, 0, `${entry.name} ${sub}`);
      assert.match(subIo.out, new RegExp(`^Usage: sidegate ${entry.name} ${sub}`));
    }
  }
});

test("`help <command>` is `<command> --help`; unknown subcommands and flags exit 2", async () => {
  const io = memoryIo();
  assert.equal((await dispatch(["help", "keys"], io)).code, 0);
  assert.match(io.out, /^Usage: sidegate keys <command>/);
  const sub = memoryIo();
  assert.equal((await dispatch(["keys", "frob"], sub)).code, 2);
  assert.match(sub.err, /unknown command "keys frob"/);
  const flag = memoryIo();
  assert.equal((await dispatch(["teams", "list", "--nope"], flag)).code, 2);
  assert.match(flag.err, /^error: .*--nope/);
  assert.match(flag.err, /Usage: sidegate teams list/);
  const extra = memoryIo();
  assert.equal((await dispatch(["teams", "list", "extra"], extra)).code, 2);
  assert.match(extra.err, /unexpected argument: extra/);
});

test("server commands are flagged long-running; dev rejects unknown flags", async () => {
  const io = memoryIo();
  const r = await dispatch(["dev", "--bogus"], io);
  assert.equal(r.code, 2);
  for (const name of ["dev", "control-plane", "sidecar", "mock-provider"]) {
    const cmd = await COMMANDS.find((c) => c.name === name)?.load();
    assert.equal(cmd?.longRunning, true, name);
  }
  assert.equal((await COMMANDS.find((c) => c.name === "teams")?.load())?.longRunning, undefined);
});
