import { type CliCommand, UsageError } from '../command.js';

/** Each emulator owns its standalone CLI in its own folder; this only dispatches. */
const EMULATORS: Record<string, { summary: string; load: () => Promise<{ command: CliCommand }> }> = {
  eventhubs: {
    summary: 'Event Hubs emulator (AMQP 1.0, real SDK compatible)',
    load: () => import('../../local/eventhubs/cli.js'),
  },
  graph: {
    summary: 'Microsoft Graph simulator (subscriptions API + publisher into Event Hubs)',
    load: () => import('../../local/graph/cli.js'),
  },
  keyvault: {
    summary: 'Azure Key Vault stand-in (certificates, secrets, key decrypt)',
    load: () => import('../../local/keyvault/cli.js'),
  },
};

const usage = `Usage: graph-dlp emulator <name> [options]

Runs one local emulator in the foreground until SIGINT/SIGTERM, then exits 0.

Emulators:
${Object.entries(EMULATORS)
  .map(([name, e]) => `  ${name.padEnd(11)}${e.summary}`)
  .join('\n')}

Run \`graph-dlp emulator <name> --help\` for its options.`;

export const command: CliCommand = {
  summary: 'Run one emulator standalone',
  usage,
  handlesOwnHelp: true,
  async run(argv, io) {
    const [name, ...rest] = argv;
    const entry = name ? EMULATORS[name] : undefined;
    if (!entry) throw new UsageError(name ? `unknown emulator '${name}'` : 'name an emulator');
    const { command: sub } = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${sub.usage}\n`);
      return 0;
    }
    return sub.run(rest, io);
  },
};
