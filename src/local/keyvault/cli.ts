/** `graph-dlp emulator keyvault`: the Key Vault stand-in in the foreground until SIGINT/SIGTERM. */
import {
  type CliCommand,
  intOption,
  parseCommandArgs,
  waitForShutdownSignal,
  writeLine,
} from '../../cli/command.js';
import { LOCAL_VAULT_TOKEN } from '../../crypto/sources/keyvault.js';
import { createLogger } from '../../log.js';
import { startKeyVaultStandIn } from './server.js';

const usage = `Usage: graph-dlp emulator keyvault [--port 8443] [--host 127.0.0.1] [--any-token]

Runs the Azure Key Vault stand-in: plain HTTP on 127.0.0.1 with the Key Vault data-plane calls graph-dlp
makes (certificate create / pending operation / get / versions, secret get, key get / decrypt / unwrapkey),
the service's JSON shapes and its 401 bearer challenge. State is in memory (lost on exit).
Point graph-dlp at it with GDLP_KEY_SOURCE=keyvault (or keyvault-remote) and GDLP_KEYVAULT_URL=<printed URL>;
for a loopback URL graph-dlp uses the fixed local token automatically. Serves until SIGINT/SIGTERM, exits 0.

Options:
  --port N            TCP port (default 0 = a free port, printed)
  --host HOST         Bind address (default 127.0.0.1; keep it on loopback: plain HTTP, fixed token)
  --any-token         Accept any bearer token, not only the local stack's fixed token
  --create-delay-ms N Keep created certificates pending this long in ms (default 0; shows the polling)
  --log-level LEVEL   pino level: fatal|error|warn|info|debug|trace|silent (default info)
  -h, --help          Show this help`;

export const command: CliCommand = {
  summary: 'Azure Key Vault stand-in (certificates, secrets, key decrypt)',
  usage,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      'any-token': { type: 'boolean' },
      'create-delay-ms': { type: 'string' },
      'log-level': { type: 'string' },
    });
    if (values.help) {
      writeLine(io.stdout, usage);
      return 0;
    }
    const logger = createLogger({
      level: values['log-level'] ?? 'info',
      base: { component: 'keyvault-stand-in' },
    });
    const shutdown = waitForShutdownSignal();
    const vault = await startKeyVaultStandIn({
      port: intOption('port', values.port, 0, 0, 65535),
      host: values.host ?? '127.0.0.1',
      createDelayMs: intOption('create-delay-ms', values['create-delay-ms'], 0, 0, 600_000),
      ...(values['any-token'] ? {} : { expectedToken: LOCAL_VAULT_TOKEN }),
      logger,
    });
    writeLine(io.stdout, `Key Vault stand-in: ${vault.url}`);
    writeLine(io.stdout, `  GDLP_KEY_SOURCE=keyvault GDLP_KEYVAULT_URL=${vault.url}`);
    const signal = await shutdown.signal;
    shutdown.dispose();
    logger.info({ signal }, 'key vault stand-in stopping');
    await vault.stop();
    return 0;
  },
};
