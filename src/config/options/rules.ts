import type { ConfigRule } from '../schema.js';

const SINK_KINDS = ['file', 'blob', 'eventhubs', 'http', 'graph'];

/**
 * Rules that span options. They live with the options so `graph-dlp config check` and every start-up
 * report them in the same list as a mistyped number, before any client is built.
 */
export const crossOptionRules: ConfigRule[] = [
  {
    keys: ['eventHubs.connectionString', 'eventHubs.namespace'],
    purpose: 'worker',
    check: (get) =>
      get('eventHubs.connectionString') || get('eventHubs.namespace')
        ? []
        : ['EVENTHUB_CONNECTION_STRING (local) or EVENTHUB_NAMESPACE (Azure, managed identity) is required'],
  },
  {
    keys: ['storage.connectionString', 'storage.accountUrl'],
    purpose: 'worker',
    check: (get) =>
      get('storage.connectionString') || get('storage.accountUrl')
        ? []
        : ['STORAGE_CONNECTION_STRING (local) or STORAGE_ACCOUNT_URL (Azure, managed identity) is required'],
  },
  {
    keys: ['graph.includeResourceData', 'worker.fetchBasicNotifications'],
    purpose: 'worker',
    check: (get) =>
      get('graph.includeResourceData') === false && get('worker.fetchBasicNotifications') === false
        ? [
            'GDLP_INCLUDE_RESOURCE_DATA=false subscribes for notifications without the message, and GDLP_FETCH_BASIC_NOTIFICATIONS=false skips those: nothing would be scanned. Enable one of them.',
          ]
        : [],
  },
  {
    keys: ['graph.clientStateStore', 'graph.clientStateVaultUrl', 'keys.keyVaultUrl'],
    check: (get) =>
      get('graph.clientStateStore') === 'keyvault' &&
      !get('graph.clientStateVaultUrl') &&
      !get('keys.keyVaultUrl')
        ? [
            'GDLP_CLIENT_STATE_STORE=keyvault needs a vault: set GDLP_CLIENT_STATE_VAULT_URL (or GDLP_KEYVAULT_URL), e.g. https://my-vault.vault.azure.net',
          ]
        : [],
  },
  {
    keys: ['consumer.startPosition'],
    check: (get) => {
      const text = String(get('consumer.startPosition') ?? 'earliest');
      if (text === 'earliest' || text === 'latest') return [];
      return /^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(Date.parse(text))
        ? []
        : [
            `GDLP_START_POSITION: '${text}' is not earliest, latest or an ISO 8601 time such as 2026-11-23T08:00:00Z`,
          ];
    },
  },
  {
    keys: ['sinks.enabled'],
    check: (get) => {
      const problems: string[] = [];
      const entries = (get('sinks.enabled') as string[] | undefined) ?? [];
      for (const entry of entries) {
        const [kind, mode] = entry.split(':');
        if (!SINK_KINDS.includes(kind ?? ''))
          problems.push(`GDLP_SINKS: unknown sink '${kind}' (one of ${SINK_KINDS.join(', ')})`);
        if (mode !== undefined && mode !== 'required' && mode !== 'best-effort')
          problems.push(`GDLP_SINKS: '${entry}': the mode after ':' must be required or best-effort`);
      }
      return problems;
    },
  },
  {
    keys: ['consumer.ownershipExpiryMs', 'consumer.loadBalancingIntervalMs'],
    check: (get) => {
      const expiry = Number(get('consumer.ownershipExpiryMs'));
      const interval = Number(get('consumer.loadBalancingIntervalMs'));
      return expiry < 2 * interval
        ? [
            `GDLP_OWNERSHIP_EXPIRY_MS (${expiry}) must be at least 2x GDLP_LOAD_BALANCING_INTERVAL_MS (${interval}), 3x recommended, or partitions thrash between replicas`,
          ]
        : [];
    },
  },
  {
    keys: ['graph.tenantDomain', 'graph.notificationUrl'],
    purpose: 'worker',
    check: (get) =>
      get('graph.tenantDomain') || get('graph.notificationUrl')
        ? []
        : [
            'GDLP_TENANT_DOMAIN (or GDLP_NOTIFICATION_URL) is required to build the Event Hubs notificationUrl of the Graph subscriptions',
          ],
  },
];
