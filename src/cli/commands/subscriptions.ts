import { DefaultAzureCredential } from '@azure/identity';
import { type ConfigTree, configSection, loadConfig } from '../../config/index.js';
import { describeError, errorCodeOf } from '../../errors.js';
import {
  BACKFILL_APP_ROLES,
  decodeTokenRoles,
  type GraphClient,
  REQUIRED_APP_ROLES,
  WRITE_BACK_APP_ROLES,
} from '../../graph/index.js';
import { createLogger } from '../../log.js';
import { parseEventHubNotificationUrl } from '../../subscriptions/desired.js';
import {
  controlContainerFromConfig,
  createSubscriptionManagerFromConfig,
  graphClientFromConfig,
  graphConfigOf,
  notificationUrlFromConfig,
} from '../../subscriptions/from-config.js';
import type { ReconcileReport } from '../../subscriptions/manager.js';
import { createControlStore } from '../../subscriptions/store.js';
import type { GraphSubscription } from '../../subscriptions/types.js';
import {
  type CliCommand,
  type CliIo,
  parseCommandArgs,
  UsageError,
  wantsHelp,
  writeLine,
} from '../command.js';

const CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

const usage = `Usage: graph-dlp subscriptions <sync|list|delete|preflight> [options]

Keeps the Microsoft Graph change-notification subscriptions (Teams chatMessage, delivered to Event Hubs) in the
desired state. The running worker does this continuously on its leader replica; these commands are for operators.

  sync        One reconcile pass now: create missing subscriptions, renew due ones, recreate removed ones, move to
              the current certificate, delete ours that are no longer desired. Prints each action.
              Takes the leader lease for the pass (waits up to --wait-ms if a worker replica holds it).
  list        Subscriptions Graph holds for this app, joined with the registry (ours?, certificate, last notification).
  delete      Delete one subscription in Graph: --id <subscription id>. The leader recreates it if it is desired
              (the fix for an adopted subscription whose clientState graph-dlp does not know).
  preflight   Checks, each with PASS/FAIL and a fix: token, application permissions (token roles; the write-back
              and backfill roles as optional warnings), Event Hubs URL,
              Microsoft Graph Change Tracking service principal, hub reachability. Exit 1 on any FAIL.

Options:
  --file FILE      JSON or YAML config file (same as GDLP_CONFIG_FILE); environment variables win.
  --id ID          (delete) the subscription id.
  --json           (list) print JSON instead of a table.
  --wait-ms MS     (sync) how long to wait for the leader lease, in ms. Default: lease period + 5000.

Configuration (environment): GRAPH_BASE_URL, GDLP_TENANT_ID, GDLP_TENANT_DOMAIN, GDLP_GRAPH_CLIENT_ID,
GDLP_GRAPH_CLIENT_SECRET (else managed identity / DefaultAzureCredential), GDLP_SUBSCRIPTION_RESOURCES,
GDLP_PAYMENT_MODEL, EVENTHUB_NAMESPACE or EVENTHUB_CONNECTION_STRING, GDLP_EVENTHUB_NAME, STORAGE_CONNECTION_STRING
or STORAGE_ACCOUNT_URL, GDLP_KEY_SOURCE (current certificate). See \`graph-dlp config options\`.`;

export const command: CliCommand = {
  summary: 'Graph subscriptions: sync|list|delete|preflight',
  usage,
  async run(argv, io) {
    if (wantsHelp(argv)) {
      writeLine(io.stdout, usage);
      return 0;
    }
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        file: { type: 'string' },
        id: { type: 'string' },
        json: { type: 'boolean' },
        'wait-ms': { type: 'string' },
      },
      true,
    );
    const sub = positionals[0];
    if (!sub) throw new UsageError('name a subcommand: sync, list, delete or preflight');
    const config = loadConfig(values.file ? { file: values.file } : {});
    switch (sub) {
      case 'sync':
        return sync(config, io, values['wait-ms'] !== undefined ? Number(values['wait-ms']) : undefined);
      case 'list':
        return list(config, io, values.json === true);
      case 'delete':
        if (!values.id) throw new UsageError('delete needs --id <subscription id>');
        return remove(config, io, values.id);
      case 'preflight':
        return preflight(config, io);
      default:
        throw new UsageError(`unknown subcommand '${sub}'`);
    }
  },
};

async function withKeyring<T>(
  config: ConfigTree,
  fn: (current: () => { id: string; certificate: string }) => Promise<T>,
): Promise<T> {
  const { createKeyringFromConfig } = await import('../../crypto/from-config.js');
  const keyring = await createKeyringFromConfig(configSection(config, 'keys'), { watch: false });
  try {
    return await fn(() => {
      const c = keyring.current();
      return { id: c.id, certificate: c.certificate };
    });
  } finally {
    await keyring.close();
  }
}

async function sync(config: ConfigTree, io: CliIo, waitMs: number | undefined): Promise<number> {
  const logger = createLogger({ level: 'warn', destination: io.stderr as never });
  const report = await withKeyring(config, async (currentCertificate) => {
    const manager = createSubscriptionManagerFromConfig(config, { currentCertificate, logger });
    try {
      return await manager.syncOnce(waitMs !== undefined && Number.isFinite(waitMs) ? { waitMs } : {});
    } finally {
      await manager.close();
    }
  });
  printReport(report, io);
  return report.errors.length > 0 ? 1 : 0;
}

export function printReport(report: ReconcileReport, io: CliIo): void {
  const line = (what: string, id: string, rest: string) =>
    writeLine(io.stdout, `${what.padEnd(12)} ${id.padEnd(36)} ${rest}`);
  for (const c of report.created) line('created', c.id, c.resource);
  for (const c of report.recreated)
    line('recreated', c.id, `${c.resource}${c.previousId ? ` (was ${c.previousId})` : ''}`);
  for (const r of report.renewed)
    line(
      'renewed',
      r.id,
      `${r.resource} until ${r.expirationDateTime} (${r.reason}${r.certificateId ? ` → certificate ${r.certificateId}` : ''})`,
    );
  for (const r of report.reauthorized) line('reauthorized', r.id, r.resource);
  for (const a of report.adopted)
    line('adopted', a.id, `${a.resource}${a.createdByUs ? '' : ' (created elsewhere: clientState unknown)'}`);
  for (const d of report.deleted) line('deleted', d.id, `${d.resource} (${d.reason})`);
  for (const g of report.gaps)
    line('gap', g.subscriptionId ?? '-', `${g.resource} ${g.from} → ${g.to} (${g.reason}; backfill needed)`);
  for (const w of report.waiting) line('waiting', w.id, `${w.why} (until ${w.until})`);
  for (const i of report.ignored) line('not ours', i.id, `${i.resource} (left alone)`);
  for (const e of report.errors) line('ERROR', e.subscriptionId ?? '-', `${e.action}: ${e.message}`);
  const counts = [
    ['created', report.created.length],
    ['recreated', report.recreated.length],
    ['renewed', report.renewed.length],
    ['reauthorized', report.reauthorized.length],
    ['adopted', report.adopted.length],
    ['deleted', report.deleted.length],
    ['errors', report.errors.length],
  ]
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  writeLine(
    io.stdout,
    report.leader ? `sync done: ${counts}` : 'sync skipped: this process was not the leader',
  );
}

async function list(config: ConfigTree, io: CliIo, json: boolean): Promise<number> {
  const graph = graphClientFromConfig(config);
  const subs = await graph.listAll<GraphSubscription>('/subscriptions');
  let registry: Awaited<ReturnType<ReturnType<typeof createControlStore>['readRegistry']>> | undefined;
  try {
    registry = await createControlStore(controlContainerFromConfig(config)).readRegistry();
  } catch (err) {
    writeLine(io.stderr, `registry not available (${describeError(err)}); showing Graph only`);
  }
  const rows = subs.map((s) => {
    const e = registry?.subscriptions.find((x) => x.id === s.id);
    const hours = (Date.parse(s.expirationDateTime) - Date.now()) / 3_600_000;
    return {
      id: s.id,
      resource: s.resource,
      changeType: s.changeType,
      expirationDateTime: s.expirationDateTime,
      expiresInHours: Math.round(hours * 10) / 10,
      certificateId: s.encryptionCertificateId ?? null,
      ours: e ? (e.createdByUs ? 'created' : 'adopted') : 'no',
      lastNotificationAt: e?.lastNotificationAt ?? null,
    };
  });
  if (json) {
    writeLine(io.stdout, JSON.stringify({ subscriptions: rows, gaps: registry?.gaps ?? [] }, null, 2));
    return 0;
  }
  writeLine(
    io.stdout,
    `${'ID'.padEnd(36)}  ${'EXPIRES IN'.padEnd(10)}  ${'OURS'.padEnd(7)}  ${'CERT'.padEnd(24)}  RESOURCE`,
  );
  for (const r of rows) {
    writeLine(
      io.stdout,
      `${r.id.padEnd(36)}  ${`${r.expiresInHours} h`.padEnd(10)}  ${r.ours.padEnd(7)}  ${String(r.certificateId ?? '-').padEnd(24)}  ${r.resource}`,
    );
  }
  writeLine(
    io.stdout,
    `${rows.length} subscription${rows.length === 1 ? '' : 's'}; ${registry?.gaps.length ?? 0} recorded gap(s)`,
  );
  return 0;
}

async function remove(config: ConfigTree, io: CliIo, id: string): Promise<number> {
  const graph = graphClientFromConfig(config);
  try {
    await graph.delete(`/subscriptions/${encodeURIComponent(id)}`);
    writeLine(io.stdout, `deleted      ${id} (the leader recreates it at its next pass if it is desired)`);
    return 0;
  } catch (err) {
    if (errorCodeOf(err) === 'GDLP_GRAPH_NOT_FOUND') {
      writeLine(io.stdout, `not found    ${id} (already gone)`);
      return 0;
    }
    throw err;
  }
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  warnOnly?: boolean;
}

export async function runPreflightChecks(
  config: ConfigTree,
  graph: GraphClient = graphClientFromConfig(config),
): Promise<Check[]> {
  const checks: Check[] = [];
  const g = graphConfigOf(config);
  let token: string | undefined;
  try {
    token = await graph.getAccessToken();
    checks.push({
      name: 'token',
      ok: true,
      detail: `obtained a Graph token (${g.clientSecret ? 'client secret' : 'managed identity / DefaultAzureCredential or local'})`,
    });
  } catch (err) {
    checks.push({
      name: 'token',
      ok: false,
      detail: describeError(err),
      fix: 'set GDLP_TENANT_ID + GDLP_GRAPH_CLIENT_ID + GDLP_GRAPH_CLIENT_SECRET, or give the container a managed identity (AZURE_CLIENT_ID for a user-assigned one)',
    });
  }
  if (token) {
    const claims = decodeTokenRoles(token);
    const needed = new Set<string>();
    for (const r of g.subscriptionResources) {
      if (/teams/i.test(r)) needed.add('ChannelMessage.Read.All');
      if (/chats/i.test(r)) needed.add('Chat.Read.All');
    }
    if (needed.size === 0) for (const r of REQUIRED_APP_ROLES) needed.add(r);
    const missing = [...needed].filter((r) => !claims?.roles.includes(r));
    checks.push({
      name: 'permissions',
      ok: missing.length === 0,
      detail:
        missing.length === 0
          ? `token roles include ${[...needed].join(', ')}`
          : `token roles lack ${missing.join(', ')} (has: ${claims?.roles.join(', ') || 'none'})`,
      fix: 'App registration → API permissions → Microsoft Graph → Application permissions → add them, then "Grant admin consent"',
    });
    const missingWriteBack = WRITE_BACK_APP_ROLES.filter((r) => !claims?.roles.includes(r));
    checks.push({
      name: 'write-back permissions',
      ok: missingWriteBack.length === 0,
      warnOnly: true,
      detail:
        missingWriteBack.length === 0
          ? 'policyViolation write-back allowed'
          : `optional, for the graph sink only: missing ${missingWriteBack.join(', ')}`,
      fix: 'add ChannelMessage.UpdatePolicyViolation.All and Chat.UpdatePolicyViolation.All if GDLP_SINKS includes graph',
    });
    const missingBackfill = BACKFILL_APP_ROLES.filter((r) => !claims?.roles.includes(r));
    checks.push({
      name: 'backfill permissions',
      ok: missingBackfill.length === 0,
      warnOnly: true,
      detail:
        missingBackfill.length === 0
          ? 'graph-dlp backfill can list teams and users'
          : `optional, for graph-dlp backfill of tenant-wide resources only: missing ${missingBackfill.join(', ')}`,
      fix: 'add Team.ReadBasic.All and User.Read.All to catch up on gaps with graph-dlp backfill',
    });
  }
  try {
    const url = notificationUrlFromConfig(config);
    const parsed = parseEventHubNotificationUrl(url);
    const tenantLooksLikeGuid = parsed.ok && /^[0-9a-f-]{36}$/i.test(parsed.target.tenantId);
    checks.push({
      name: 'event hubs url',
      ok: parsed.ok && !tenantLooksLikeGuid,
      detail: parsed.ok
        ? `${url}${tenantLooksLikeGuid ? ' — tenantId is a GUID; Graph documents the primary domain' : ''}`
        : parsed.reason,
      fix: 'EventHub:https://<namespace>.servicebus.windows.net/eventhubname/<hub>?tenantId=<primary domain>: set EVENTHUB_NAMESPACE, GDLP_EVENTHUB_NAME and GDLP_TENANT_DOMAIN',
    });
  } catch (err) {
    checks.push({
      name: 'event hubs url',
      ok: false,
      detail: describeError(err),
      fix: 'set EVENTHUB_NAMESPACE and GDLP_TENANT_DOMAIN (or GDLP_NOTIFICATION_URL)',
    });
  }
  if (token) {
    try {
      const res = await graph.get<{ value: Array<{ id: string }> }>(
        `/servicePrincipals?$filter=appId eq '${CHANGE_TRACKING_APP_ID}'`,
      );
      const found = res.value?.length > 0;
      checks.push({
        name: 'change tracking SP',
        ok: found,
        detail: found
          ? `Microsoft Graph Change Tracking service principal present (object id ${res.value[0]?.id})`
          : 'Microsoft Graph Change Tracking service principal not found in the tenant',
        fix: `create it: az ad sp create --id ${CHANGE_TRACKING_APP_ID}; then grant it "Azure Event Hubs Data Sender" on the hub`,
      });
    } catch (err) {
      checks.push({
        name: 'change tracking SP',
        ok: false,
        detail: describeError(err),
        fix: 'the app needs Application.Read.All to look up service principals (or check it by hand in Entra ID → Enterprise applications)',
      });
    }
  }
  checks.push(await checkHub(config));
  return checks;
}

async function checkHub(config: ConfigTree): Promise<Check> {
  const eh = configSection<{ connectionString?: string; namespace?: string; name?: string }>(
    config,
    'eventHubs',
  );
  const hub = eh.name ?? 'notifications';
  const fix =
    'check EVENTHUB_NAMESPACE / EVENTHUB_CONNECTION_STRING and GDLP_EVENTHUB_NAME, network access, and that this identity has Azure Event Hubs Data Receiver on the hub';
  try {
    const { EventHubConsumerClient } = await import('@azure/event-hubs');
    const client = eh.connectionString
      ? new EventHubConsumerClient('$Default', eh.connectionString, hub)
      : eh.namespace
        ? new EventHubConsumerClient('$Default', eh.namespace, hub, new DefaultAzureCredential())
        : undefined;
    if (!client)
      return { name: 'hub reachable', ok: false, detail: 'no Event Hubs namespace configured', fix };
    try {
      const props = await Promise.race([
        client.getEventHubProperties(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('timed out after 20 s')), 20_000).unref(),
        ),
      ]);
      return {
        name: 'hub reachable',
        ok: true,
        detail: `hub '${props.name}' has ${props.partitionIds.length} partitions`,
      };
    } finally {
      await client.close();
    }
  } catch (err) {
    return { name: 'hub reachable', ok: false, detail: describeError(err), fix };
  }
}

async function preflight(config: ConfigTree, io: CliIo): Promise<number> {
  const checks = await runPreflightChecks(config);
  for (const c of checks) {
    const status = c.ok ? 'PASS' : c.warnOnly ? 'WARN' : 'FAIL';
    writeLine(io.stdout, `${status}  ${c.name.padEnd(22)} ${c.detail}`);
    if (!c.ok && c.fix) writeLine(io.stdout, `      fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => !c.ok && !c.warnOnly).length;
  writeLine(io.stdout, failed === 0 ? 'preflight passed' : `preflight failed: ${failed} check(s)`);
  return failed === 0 ? 0 : 1;
}
