import type { OptionSpec } from '../schema.js';

/** Microsoft Graph access and the subscription manager (src/graph, src/subscriptions). */
export const graphOptions: OptionSpec[] = [
  {
    key: 'graph.baseUrl',
    env: 'GRAPH_BASE_URL',
    type: 'url',
    default: 'https://graph.microsoft.com/v1.0',
    description:
      'Microsoft Graph base URL including the version segment. The local stack points it at the Graph simulator.',
  },
  {
    key: 'graph.tenantId',
    env: 'GDLP_TENANT_ID',
    type: 'string',
    description: 'Entra ID tenant id (GUID) that owns the Teams data and the app registration.',
  },
  {
    key: 'graph.tenantDomain',
    env: 'GDLP_TENANT_DOMAIN',
    type: 'string',
    description:
      "Tenant primary domain (e.g. contoso.com), used as `tenantId=` in Graph's Event Hubs notificationUrl.",
    hint: 'Entra ID → Overview → Primary domain',
  },
  {
    key: 'graph.clientId',
    env: 'GDLP_GRAPH_CLIENT_ID',
    type: 'string',
    description: 'Application (client) id of the app registration that owns the subscriptions.',
  },
  {
    key: 'graph.clientSecret',
    env: 'GDLP_GRAPH_CLIENT_SECRET',
    type: 'string',
    secret: true,
    description:
      'Client secret of the app registration. Unset: managed identity / DefaultAzureCredential is used.',
  },
  {
    key: 'graph.subscriptionResources',
    env: 'GDLP_SUBSCRIPTION_RESOURCES',
    type: 'list',
    default: ['/teams/getAllMessages', '/chats/getAllMessages'],
    description:
      'Graph resources to subscribe to (comma-separated). Tenant-wide getAllMessages get `?model=` from GDLP_PAYMENT_MODEL; explicit /teams/{id}/channels/{id}/messages, /chats/{id}/messages, /users/{id}/chats/getAllMessages are allowed.',
  },
  {
    key: 'graph.includeResourceData',
    env: 'GDLP_INCLUDE_RESOURCE_DATA',
    type: 'boolean',
    default: true,
    description:
      'Subscribe for rich notifications (the message encrypted in the notification, with our certificate). false = basic notifications: the worker GETs each message from Graph (one call per message; Graph returns its current state), which needs GDLP_FETCH_BASIC_NOTIFICATIONS=true.',
  },
  {
    key: 'graph.clientStateStore',
    env: 'GDLP_CLIENT_STATE_STORE',
    type: 'enum',
    values: ['blob', 'keyvault'],
    default: 'blob',
    description:
      "Where the subscriptions' clientState secrets are kept: blob = a JSON blob in the control container; keyvault = one Key Vault secret (GDLP_CLIENT_STATE_VAULT_URL, the worker identity needs Key Vault Secrets Officer).",
  },
  {
    key: 'graph.clientStateVaultUrl',
    env: 'GDLP_CLIENT_STATE_VAULT_URL',
    type: 'string',
    description:
      'Key Vault for the clientState secrets (GDLP_CLIENT_STATE_STORE=keyvault). Default: GDLP_KEYVAULT_URL.',
  },
  {
    key: 'graph.clientStateSecretName',
    env: 'GDLP_CLIENT_STATE_SECRET_NAME',
    type: 'string',
    default: 'graph-dlp-client-states',
    description:
      'Name of the Key Vault secret holding the clientState secrets (every write is a new version).',
  },
  {
    key: 'graph.paymentModel',
    env: 'GDLP_PAYMENT_MODEL',
    type: 'enum',
    values: ['A', 'B', 'none'],
    default: 'A',
    description:
      'Teams payment model put in the resource (`?model=A`). A = security/compliance apps (DLP); none = evaluation mode (500 messages/month).',
  },
  {
    key: 'graph.subscriptionLifetimeMs',
    env: 'GDLP_SUBSCRIPTION_LIFETIME_MS',
    type: 'int',
    unit: 'ms',
    default: 4_200 * 60_000,
    min: 45 * 60_000,
    max: 4_320 * 60_000,
    description:
      'Requested subscription lifetime (Graph caps Teams chatMessage at 4320 minutes; shorter is used automatically when Graph refuses).',
  },
  {
    key: 'graph.renewFraction',
    env: 'GDLP_SUBSCRIPTION_RENEW_FRACTION',
    type: 'number',
    default: 0.5,
    min: 0.05,
    max: 0.95,
    description: 'Renew a subscription once this fraction of its lifetime has passed.',
  },
  {
    key: 'graph.renewJitterFraction',
    env: 'GDLP_SUBSCRIPTION_RENEW_JITTER',
    type: 'number',
    default: 0.05,
    min: 0,
    max: 0.2,
    description:
      'Renewal time is spread by ± this fraction of the lifetime, so subscriptions do not renew in lockstep.',
  },
  {
    key: 'graph.reconcileIntervalMs',
    env: 'GDLP_RECONCILE_INTERVAL_MS',
    type: 'int',
    unit: 'ms',
    default: 60_000,
    min: 1_000,
    description:
      'How often the leader compares desired subscriptions with Graph (GET /subscriptions) and acts.',
  },
  {
    key: 'graph.silenceWarnMs',
    env: 'GDLP_SILENCE_WARN_MS',
    type: 'int',
    unit: 'ms',
    default: 6 * 3_600_000,
    min: 1_000,
    description:
      'Warn when a subscription has delivered no notification for this long (quiet tenants need a longer value).',
  },
  {
    key: 'graph.controlContainer',
    env: 'GDLP_CONTROL_CONTAINER',
    type: 'string',
    default: 'graph-dlp-control',
    description:
      'Blob container (checkpoint storage account) for the leader lease, the subscription registry, clientState secrets and lifecycle inbox.',
  },
  {
    key: 'graph.leaderLeaseMs',
    env: 'GDLP_LEADER_LEASE_MS',
    type: 'int',
    unit: 'ms',
    default: 30_000,
    min: 15_000,
    max: 60_000,
    description:
      'Blob lease duration for the subscription leader (Azure allows 15-60 s); renewed every third of it.',
  },
  {
    key: 'graph.notificationUrl',
    env: 'GDLP_NOTIFICATION_URL',
    type: 'string',
    description:
      'Override the Event Hubs notificationUrl (EventHub:https://<ns>.servicebus.windows.net/eventhubname/<hub>?tenantId=<domain>). Default: built from the namespace, hub and tenant domain.',
  },
];
