import { ALL_OPTIONS, describeConfig, loadConfig } from '../../config/index.js';
import { type CliCommand, parseCommandArgs, UsageError, writeLine } from '../command.js';

const usage = `Usage: graph-dlp config <check|options> [--file FILE]

  check     Validate the configuration (environment + optional file) and print the effective
            settings; secrets show as [set]. Exits 1 listing every problem when invalid.
  options   List every option: environment variable, default, unit and meaning (Markdown table).

Options:
  --file FILE   JSON or YAML config file (same as GDLP_CONFIG_FILE). Environment variables win over it.`;

export const command: CliCommand = {
  summary: 'Validate configuration',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { file: { type: 'string' } }, true);
    const sub = positionals[0];
    if (sub === 'options') {
      writeLine(io.stdout, '| Variable | Key | Default | Unit | Description |');
      writeLine(io.stdout, '|---|---|---|---|---|');
      for (const o of ALL_OPTIONS) {
        const def =
          o.default === undefined ? '' : Array.isArray(o.default) ? o.default.join(',') : String(o.default);
        const desc = o.values ? `${o.description} One of: ${o.values.join(', ')}.` : o.description;
        writeLine(
          io.stdout,
          `| \`${o.env}\` | \`${o.key}\` | ${def === '' ? '' : `\`${def}\``} | ${o.unit ?? ''} | ${desc.replaceAll('|', '\\|')} |`,
        );
      }
      return 0;
    }
    if (sub !== 'check') throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand');
    const config = loadConfig({ ...(values.file ? { file: values.file } : {}), purpose: 'worker' });
    for (const row of describeConfig(config)) writeLine(io.stdout, `${row.env.padEnd(40)} ${row.value}`);
    writeLine(io.stderr, 'configuration is valid');
    return 0;
  },
};
