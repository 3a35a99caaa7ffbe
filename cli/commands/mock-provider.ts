import { EXIT_OK, parse, withUsage, type Command } from "../command";
import { mockPortFromEnv, startMockProvider } from "../../mock-provider/src/main";
import { serveUntilSignal } from "../shutdown";

const usage = [
  "Usage: sidegate mock-provider",
  "",
  "Run the built-in OpenAI-compatible mock provider on 127.0.0.1:$SIDEGATE_MOCK_PORT (default 4010).",
  "Stops on SIGINT/SIGTERM.",
].join("\n");

export const mockProviderCommand: Command = {
  name: "mock-provider",
  summary: "run the built-in mock OpenAI-compatible provider",
  usage,
  longRunning: true,
  run: (argv, io) =>
    withUsage(mockProviderCommand, io, async () => {
      if (parse(argv, {}, 0).values.help) return io.stdout(`${usage}\n`), EXIT_OK;
      return serveUntilSignal(
        io,
        async () => {
          const mock = await startMockProvider({ host: "127.0.0.1", port: mockPortFromEnv(io.env) });
          io.stdout(`sidegate mock provider listening on ${mock.baseUrl}\n`);
          return mock;
        },
        5000,
      );
    }),
};
