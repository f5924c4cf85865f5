/**
 * Emulator entities from the official Event Hubs emulator's `Config.json` shape
 * (`UserConfig.NamespaceConfig[0].Entities[].{Name, PartitionCount, ConsumerGroups[].Name}`), with its
 * limits. Pure: `parseEmulatorConfig` validates a parsed document and reports every problem at once.
 */
import { readFile } from 'node:fs/promises';
import { GraphDlpError } from '../../errors.js';

export interface HubConfig {
  name: string;
  partitionCount: number;
  /** Always includes `$default`. */
  consumerGroups: string[];
}

export interface EmulatorEntities {
  namespace: string;
  hubs: HubConfig[];
}

export const LIMITS = { maxHubs: 10, minPartitions: 1, maxPartitions: 32, maxConsumerGroups: 20 } as const;
export const DEFAULT_NAMESPACE = 'emulatorNs1';

/** graph-dlp's defaults: the notifications hub the worker reads and the findings hub it writes. */
export const DEFAULT_ENTITIES: EmulatorEntities = {
  namespace: DEFAULT_NAMESPACE,
  hubs: [
    { name: 'notifications', partitionCount: 4, consumerGroups: ['$default', 'graph-dlp'] },
    { name: 'findings', partitionCount: 2, consumerGroups: ['$default'] },
  ],
};

const NAME = /^[A-Za-z0-9](?:[\w.\-/]*[A-Za-z0-9])?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validate a parsed Config.json document; throws one GraphDlpError listing every problem. */
export function parseEmulatorConfig(doc: unknown, source = 'Config.json'): EmulatorEntities {
  const problems: string[] = [];
  const user = isObject(doc) ? doc.UserConfig : undefined;
  if (!isObject(user)) {
    throw configError(source, ['the root object must have a "UserConfig" object']);
  }
  const namespaces = user.NamespaceConfig;
  if (!Array.isArray(namespaces) || namespaces.length !== 1) {
    throw configError(source, [
      '"UserConfig.NamespaceConfig" must be an array with exactly 1 namespace (the emulator supports one)',
    ]);
  }
  const ns = namespaces[0];
  if (!isObject(ns)) throw configError(source, ['"NamespaceConfig[0]" must be an object']);
  if (ns.Type !== undefined && ns.Type !== 'EventHub')
    problems.push(`NamespaceConfig[0].Type must be "EventHub" (got ${JSON.stringify(ns.Type)})`);
  const namespace = typeof ns.Name === 'string' && ns.Name.length > 0 ? ns.Name : DEFAULT_NAMESPACE;
  const logging = user.LoggingConfig;
  if (logging !== undefined) {
    const type = isObject(logging) ? logging.Type : undefined;
    if (
      typeof type !== 'string' ||
      !['File', 'Console', 'File,Console', 'Console,File'].includes(type.replace(/\s+/g, ''))
    ) {
      problems.push('LoggingConfig.Type must be one of "File", "Console", "File,Console", "Console,File"');
    }
  }
  const entities = ns.Entities;
  const hubs: HubConfig[] = [];
  if (!Array.isArray(entities) || entities.length === 0) {
    problems.push('NamespaceConfig[0].Entities must list between 1 and 10 event hubs');
  } else {
    if (entities.length > LIMITS.maxHubs)
      problems.push(
        `NamespaceConfig[0].Entities lists ${entities.length} event hubs; the limit is ${LIMITS.maxHubs}`,
      );
    const seen = new Set<string>();
    entities.forEach((entity, i) => {
      const where = `Entities[${i}]`;
      if (!isObject(entity)) {
        problems.push(`${where} must be an object`);
        return;
      }
      const name = entity.Name;
      if (typeof name !== 'string' || !NAME.test(name)) {
        problems.push(
          `${where}.Name ${JSON.stringify(name)} is not a valid event hub name (letters, digits, '-', '_', '.', '/'; must start and end with a letter or digit)`,
        );
      } else if (seen.has(name.toLowerCase())) {
        problems.push(`${where}.Name "${name}" is declared twice`);
      } else {
        seen.add(name.toLowerCase());
      }
      const rawCount = entity.PartitionCount;
      const count = typeof rawCount === 'string' && /^\d+$/.test(rawCount) ? Number(rawCount) : rawCount;
      if (
        typeof count !== 'number' ||
        !Number.isInteger(count) ||
        count < LIMITS.minPartitions ||
        count > LIMITS.maxPartitions
      ) {
        problems.push(
          `${where}.PartitionCount must be an integer from ${LIMITS.minPartitions} to ${LIMITS.maxPartitions} (got ${JSON.stringify(rawCount)})`,
        );
      }
      const groups = entity.ConsumerGroups ?? [];
      const consumerGroups = ['$default'];
      if (!Array.isArray(groups)) {
        problems.push(`${where}.ConsumerGroups must be an array of {"Name": "..."}`);
      } else {
        if (groups.length > LIMITS.maxConsumerGroups)
          problems.push(
            `${where}.ConsumerGroups lists ${groups.length} consumer groups; the limit is ${LIMITS.maxConsumerGroups}`,
          );
        groups.forEach((g, j) => {
          const gname = isObject(g) ? g.Name : undefined;
          if (gname === '$default') {
            problems.push(
              `${where}.ConsumerGroups[${j}]: "$default" exists implicitly and must not be declared`,
            );
          } else if (typeof gname !== 'string' || !NAME.test(gname) || gname.length > 50) {
            problems.push(
              `${where}.ConsumerGroups[${j}].Name ${JSON.stringify(gname)} is not a valid consumer group name`,
            );
          } else if (consumerGroups.some((c) => c.toLowerCase() === gname.toLowerCase())) {
            problems.push(`${where}.ConsumerGroups[${j}].Name "${gname}" is declared twice`);
          } else {
            consumerGroups.push(gname);
          }
        });
      }
      if (typeof name === 'string' && typeof count === 'number')
        hubs.push({ name, partitionCount: count, consumerGroups });
    });
  }
  if (problems.length > 0) throw configError(source, problems);
  return { namespace, hubs };
}

/** Render entities back into the official Config.json shape (used to mount the same entities into the Docker emulator). */
export function toOfficialConfig(entities: EmulatorEntities): unknown {
  return {
    UserConfig: {
      NamespaceConfig: [
        {
          Type: 'EventHub',
          Name: DEFAULT_NAMESPACE,
          Entities: entities.hubs.map((h) => ({
            Name: h.name,
            PartitionCount: h.partitionCount,
            ConsumerGroups: h.consumerGroups.filter((c) => c !== '$default').map((Name) => ({ Name })),
          })),
        },
      ],
      LoggingConfig: { Type: 'Console' },
    },
  };
}

export async function loadEmulatorConfigFile(path: string): Promise<EmulatorEntities> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new GraphDlpError(
      'GDLP_EMULATOR_CONFIG_UNREADABLE',
      'fatal',
      `Cannot read the Event Hubs emulator config file ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new GraphDlpError(
      'GDLP_EMULATOR_CONFIG_INVALID',
      'fatal',
      `The Event Hubs emulator config file ${path} is not valid JSON: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parseEmulatorConfig(doc, path);
}

function configError(source: string, problems: string[]): GraphDlpError {
  return new GraphDlpError(
    'GDLP_EMULATOR_CONFIG_INVALID',
    'fatal',
    `The Event Hubs emulator config ${source} has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    { details: { source, problems } },
  );
}
