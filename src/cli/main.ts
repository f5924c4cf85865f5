import { describeError, isGraphDlpError } from '../errors.js';
import { type CliCommand, type CliIo, processIo, UsageError, wantsHelp, writeLine } from './command.js';

interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ command: CliCommand }>;
}

/**
 * The command table. Summaries live here so `graph-dlp --help` never has to load heavy modules;
 * each command's own `--help` comes from its module.
 */
const COMMANDS: CommandEntry[] = [
  {
    name: 'demo',
    summary: 'Run the whole pipeline on the local stack with generated Teams traffic (npm start)',
    load: () => import('./commands/demo.js'),
  },
  {
    name: 'run',
    summary: 'Run the worker: consume, validate, decrypt, scan, push findings (production entry point)',
    load: () => import('./commands/run.js'),
  },
  {
    name: 'local',
    summary:
      'Local Azure stack: `local up` starts Event Hubs emulator, Azurite, Graph simulator, Key Vault stand-in',
    load: () => import('./commands/local.js'),
  },
  {
    name: 'emulator',
    summary: 'Run one emulator standalone: `emulator eventhubs|graph|keyvault`',
    load: () => import('./commands/emulator.js'),
  },
  {
    name: 'keys',
    summary: 'Notification encryption certificates: `keys create|list|rotate`',
    load: () => import('./commands/keys.js'),
  },
  {
    name: 'decrypt',
    summary: 'Decrypt Graph change notifications (encryptedContent) with a private key',
    load: () => import('./commands/decrypt.js'),
  },
  {
    name: 'scan',
    summary: 'Scan JSONL {"id","html"} lines for sensitive data and print findings',
    load: () => import('./commands/scan.js'),
  },
  {
    name: 'subscriptions',
    summary: 'Graph subscriptions: `subscriptions sync|list|delete|preflight`',
    load: () => import('./commands/subscriptions.js'),
  },
  {
    name: 'backfill',
    summary: 'Catch up on recorded subscription gaps from Graph: `backfill list|run`',
    load: () => import('./commands/backfill.js'),
  },
  {
    name: 'checkpoints',
    summary: 'Consumer-group checkpoints: `checkpoints show|reset` (replay)',
    load: () => import('./commands/checkpoints.js'),
  },
  {
    name: 'deadletter',
    summary: 'Dead-lettered events: `deadletter list|show|redrive`',
    load: () => import('./commands/deadletter.js'),
  },
  {
    name: 'config',
    summary:
      'Validate configuration and print the effective settings (secrets hidden): `config check|options`',
    load: () => import('./commands/config.js'),
  },
];

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const lines = [
    'graph-dlp: watch Microsoft Teams messages for sensitive data (Graph change notifications via Azure Event Hubs).',
    '',
    'Usage: graph-dlp <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    "Run `graph-dlp <command> --help` for a command's options.",
  ];
  return lines.join('\n');
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    writeLine(io.stdout, topLevelHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    writeLine(io.stdout, pkg.version);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    writeLine(io.stderr, `graph-dlp: unknown command '${name}'.\n`);
    writeLine(io.stderr, topLevelHelp());
    return 2;
  }
  const { command } = await entry.load();
  // `--help` anywhere prints usage and runs nothing: `local up --help` must not start a stack.
  if (wantsHelp(rest) && !command.handlesOwnHelp) {
    writeLine(io.stdout, command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      writeLine(io.stderr, `graph-dlp ${name}: ${err.message}\n`);
      writeLine(io.stderr, command.usage);
      return 2;
    }
    writeLine(
      io.stderr,
      isGraphDlpError(err) ? `${err.code}: ${err.message}` : `graph-dlp ${name}: ${describeError(err)}`,
    );
    return 1;
  }
}
