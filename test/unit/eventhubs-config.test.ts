import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGraphDlpError } from '../../src/errors.js';
import {
  loadEmulatorConfigFile,
  parseEmulatorConfig,
  toOfficialConfig,
} from '../../src/local/eventhubs/config.js';

const official = {
  UserConfig: {
    NamespaceConfig: [
      {
        Type: 'EventHub',
        Name: 'emulatorNs1',
        Entities: [{ Name: 'eh1', PartitionCount: '2', ConsumerGroups: [{ Name: 'cg1' }] }],
      },
    ],
    LoggingConfig: { Type: 'File' },
  },
};

describe('Event Hubs emulator Config.json loader', () => {
  it("reads the official emulator's default file, adding the implicit $default group", () => {
    expect(parseEmulatorConfig(official)).toEqual({
      namespace: 'emulatorNs1',
      hubs: [{ name: 'eh1', partitionCount: 2, consumerGroups: ['$default', 'cg1'] }],
    });
  });

  it('reports every limit violation at once, in operator words', () => {
    const bad = {
      UserConfig: {
        NamespaceConfig: [
          {
            Type: 'EventHub',
            Name: 'emulatorNs1',
            Entities: [
              { Name: '-bad', PartitionCount: 0, ConsumerGroups: [{ Name: '$default' }] },
              {
                Name: 'ok',
                PartitionCount: 33,
                ConsumerGroups: Array.from({ length: 21 }, (_, i) => ({ Name: `cg${i}` })),
              },
              ...Array.from({ length: 9 }, (_, i) => ({ Name: `h${i}`, PartitionCount: 1 })),
            ],
          },
        ],
      },
    };
    try {
      parseEmulatorConfig(bad);
      expect.unreachable();
    } catch (err) {
      expect(isGraphDlpError(err) && err.code).toBe('GDLP_EMULATOR_CONFIG_INVALID');
      const problems = (err as { details: { problems: string[] } }).details.problems;
      expect(problems.join('\n')).toMatch(/11 event hubs; the limit is 10/);
      expect(problems.join('\n')).toMatch(/not a valid event hub name/);
      expect(problems.join('\n')).toMatch(/PartitionCount must be an integer from 1 to 32 \(got 0\)/);
      expect(problems.join('\n')).toMatch(/got 33/);
      expect(problems.join('\n')).toMatch(/21 consumer groups; the limit is 20/);
      expect(problems.join('\n')).toMatch(/"\$default" exists implicitly/);
      expect(problems).toHaveLength(6);
    }
  });

  it('rejects more than one namespace', () => {
    expect(() => parseEmulatorConfig({ UserConfig: { NamespaceConfig: [{}, {}] } })).toThrow(
      /exactly 1 namespace/,
    );
  });

  it('loads from a file and explains unreadable or malformed files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eh-config-'));
    const good = join(dir, 'Config.json');
    writeFileSync(good, JSON.stringify(official));
    await expect(loadEmulatorConfigFile(good)).resolves.toMatchObject({ hubs: [{ name: 'eh1' }] });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ nope');
    await expect(loadEmulatorConfigFile(broken)).rejects.toThrow(/not valid JSON/);
    await expect(loadEmulatorConfigFile(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read/);
  });

  it('renders entities back into the official shape for the Docker emulator', () => {
    expect(parseEmulatorConfig(toOfficialConfig(parseEmulatorConfig(official)))).toEqual(
      parseEmulatorConfig(official),
    );
  });
});
