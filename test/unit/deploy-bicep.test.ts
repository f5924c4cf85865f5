/**
 * Offline checks of bicep/: syntax through the tree-sitter-bicep grammar, plus the invariants a wrong deployment
 * would silently violate (role GUIDs, KEDA metadata spelling, lower-case names, least-privilege scopes, no secrets).
 * The Bicep CLI is not available here; `az bicep build`/`lint`/what-if remain the authoritative checks (README).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Node, Tree } from 'web-tree-sitter';
import {
  bicepFiles,
  type Declaration,
  declarations,
  declarationValue,
  descendants,
  namedChildren,
  objectProperties,
  objectsWith,
  parseBicep,
  propertyValues,
  readRepoFile,
  repoRoot,
  resourceType,
  stringValue,
  syntaxProblems,
} from './deploy-support.js';

/** Built-in role GUIDs, copied from the role table of the deployment reference (AVM builtInRoleNames, cross-checked). */
const ROLE_TABLE: Record<string, string> = {
  'Azure Event Hubs Data Receiver': 'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
  'Azure Event Hubs Data Sender': '2b629674-e913-4c01-ae53-ef4638d8f975',
  'Azure Event Hubs Data Owner': 'f526a384-b230-433a-b45c-95f59c4a2dec',
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Blob Data Reader': '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  'Key Vault Crypto User': '12338af0-0e69-4776-bea7-57ae8d297424',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Key Vault Certificate User': 'db79e9a7-68ee-4b58-9aeb-b90e7c24fcba',
  'Key Vault Certificates Officer': 'a4417e6f-fecd-4de8-b567-7b0420556985',
  'Key Vault Crypto Officer': '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7',
  'Key Vault Administrator': '00482a5a-887f-4fb3-b363-3b7fe8e74483',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  AcrPull: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
};
/** Roles too broad for graph-dlp: their GUIDs must not appear anywhere. */
const FORBIDDEN_ROLES = ['Azure Event Hubs Data Owner', 'Storage Blob Data Owner', 'Key Vault Administrator'];
/** builtInRoleIds key in bicep/modules/common.bicep → role name in the table. */
const ROLE_KEYS: Record<string, string> = {
  eventHubsDataReceiver: 'Azure Event Hubs Data Receiver',
  eventHubsDataSender: 'Azure Event Hubs Data Sender',
  storageBlobDataContributor: 'Storage Blob Data Contributor',
  keyVaultCryptoUser: 'Key Vault Crypto User',
  keyVaultSecretsUser: 'Key Vault Secrets User',
  keyVaultSecretsOfficer: 'Key Vault Secrets Officer',
  keyVaultCertificateUser: 'Key Vault Certificate User',
  keyVaultCertificatesOfficer: 'Key Vault Certificates Officer',
  acrPull: 'AcrPull',
};
const GRAPH_CHANGE_TRACKING_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

/** API versions allowed per resource type (deployment reference table 2.1; containerApps needs >= 2025-01-01 for scale-rule identity). */
const API_VERSIONS: Record<string, string[]> = {
  'Microsoft.EventHub/namespaces': ['2024-01-01'],
  'Microsoft.EventHub/namespaces/eventhubs': ['2024-01-01'],
  'Microsoft.EventHub/namespaces/eventhubs/consumergroups': ['2024-01-01'],
  'Microsoft.Storage/storageAccounts': ['2025-01-01', '2025-06-01'],
  'Microsoft.Storage/storageAccounts/blobServices': ['2025-01-01'],
  'Microsoft.Storage/storageAccounts/blobServices/containers': ['2025-01-01'],
  'Microsoft.KeyVault/vaults': ['2024-11-01'],
  'Microsoft.OperationalInsights/workspaces': ['2025-02-01', '2025-07-01'],
  'Microsoft.App/managedEnvironments': ['2025-07-01'],
  'Microsoft.App/containerApps': ['2025-01-01', '2025-07-01'],
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2024-11-30'],
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
  'Microsoft.Insights/diagnosticSettings': ['2021-05-01-preview'],
  'Microsoft.ContainerRegistry/registries': ['2023-07-01'],
};

/** KEDA azure-eventhub metadata keys (exact, case-sensitive; unknown keys are silently ignored by KEDA). */
const KEDA_KEYS = new Set([
  'consumerGroup',
  'unprocessedEventThreshold',
  'activationUnprocessedEventThreshold',
  'stalePartitionInfoThreshold',
  'blobContainer',
  'checkpointStrategy',
  'eventHubName',
  'eventHubNamespace',
  'storageAccountName',
  'cloud',
  'endpointSuffix',
  'storageEndpointSuffix',
]);
const KEDA_REQUIRED_WITH_IDENTITY = [
  'eventHubNamespace',
  'eventHubName',
  'consumerGroup',
  'blobContainer',
  'checkpointStrategy',
  'storageAccountName',
  'unprocessedEventThreshold',
];

/** Env names of the config contract (team rules) plus AZURE_CLIENT_ID, read by @azure/identity itself. */
const CONTRACT_ENV = new Set([
  'GDLP_LOG_LEVEL',
  'GDLP_REPLICA_ID',
  'GDLP_MODE',
  'EVENTHUB_NAMESPACE',
  'GDLP_EVENTHUB_NAME',
  'GDLP_CONSUMER_GROUP',
  'GDLP_FINDINGS_EVENTHUB_NAME',
  'STORAGE_ACCOUNT_URL',
  'GDLP_CHECKPOINT_CONTAINER',
  'GDLP_DEADLETTER_CONTAINER',
  'GDLP_FINDINGS_CONTAINER',
  'GDLP_START_POSITION',
  'GDLP_SINKS',
  'GDLP_FINDINGS_FILE',
  'GDLP_WEBHOOK_URL',
  'GDLP_WEBHOOK_SECRET',
  'GDLP_HEALTH_PORT',
  'GDLP_SHUTDOWN_DEADLINE_MS',
  'AZURE_CLIENT_ID',
  'GDLP_KEY_SOURCE',
  'GDLP_KEY_FOLDER',
  'GDLP_KEYVAULT_URL',
  'GDLP_KEYVAULT_CERTIFICATE_NAME',
  'GDLP_KEY_RETIRE_AFTER_MS',
  'GDLP_POLICY_FILE',
  'GRAPH_BASE_URL',
  'GDLP_TENANT_ID',
  'GDLP_TENANT_DOMAIN',
  'GDLP_GRAPH_CLIENT_ID',
  'GDLP_GRAPH_CLIENT_SECRET',
  'GDLP_SUBSCRIPTION_RESOURCES',
  'GDLP_PAYMENT_MODEL',
  'GDLP_SUBSCRIPTION_RENEW_FRACTION',
  'GDLP_SILENCE_WARN_MS',
  'GDLP_CONTROL_CONTAINER',
  'GDLP_KEY_CREATE_IF_MISSING',
  'GDLP_CLIENT_STATE_STORE',
  'GDLP_AUTO_BACKFILL_INTERVAL_MS',
]);

const SECRET_NAME =
  /secret|password|passwd|connectionstring|sastoken|sharedaccess|apikey|accountkey|privatekey|token/i;
/** Parameters that carry the name, id or URL of a secret, not the secret itself. */
const SECRET_REFERENCE = /(Name|Id|Url|Uri|ResourceId|References)$/;

interface ParsedFile {
  path: string;
  source: string;
  tree: Tree;
  decls: Declaration[];
}

const files = new Map<string, ParsedFile>();

function file(path: string): ParsedFile {
  const parsed = files.get(path);
  if (!parsed) throw new Error(`${path} was not parsed (does it exist?)`);
  return parsed;
}

function decl(path: string, kind: Declaration['kind'], name: string): Declaration {
  const found = file(path).decls.find((d) => d.kind === kind && d.name === name);
  if (!found) throw new Error(`${kind} ${name} not found in ${path}`);
  return found;
}

function description(d: Declaration): string | undefined {
  const found = d.decorators.find((x) => x.name === 'description' || x.name === 'sys.description');
  return found?.args[0]?.replace(/^'|'$/g, '');
}

function allResources(): { path: string; decl: Declaration; type: string; apiVersion: string }[] {
  return [...files.values()].flatMap((f) =>
    f.decls.filter((d) => d.kind === 'resource').map((d) => ({ path: f.path, decl: d, ...resourceType(d) })),
  );
}

/** The body object of a resource or module declaration (through `for`/`if` wrappers). */
function body(d: Declaration): Node {
  const object = descendants(d.node, 'object')[0];
  if (!object) throw new Error(`${d.name} has no body`);
  return object;
}

beforeAll(async () => {
  for (const path of bicepFiles()) {
    const source = readRepoFile(path);
    const tree = await parseBicep(source);
    files.set(path, { path, source, tree, decls: declarations(tree) });
  }
});

describe('bicep syntax (tree-sitter-bicep)', () => {
  it('finds the entry point and every module', () => {
    expect([...files.keys()]).toEqual(
      expect.arrayContaining([
        'bicep/main.bicep',
        'bicep/modules/common.bicep',
        'bicep/modules/event-hubs.bicep',
        'bicep/modules/storage.bicep',
        'bicep/modules/key-vault.bicep',
        'bicep/modules/log-analytics.bicep',
        'bicep/modules/identity.bicep',
        'bicep/modules/container-apps-environment.bicep',
        'bicep/modules/container-app.bicep',
      ]),
    );
  });

  it('parses every .bicep file without ERROR or MISSING nodes', () => {
    const problems = [...files.values()].flatMap((f) =>
      syntaxProblems(f.tree).map((p) => `${f.path}:${p.line}:${p.column} ${p.kind} ${p.text}`),
    );
    expect(problems).toEqual([]);
  });

  it('avoids the constructs the grammar wrongly flags (see README "Deploying to Azure")', () => {
    for (const f of files.values()) {
      expect(f.source, `${f.path}: extension declaration`).not.toMatch(/^\s*extension\s/m);
      expect(f.source, `${f.path}: resourceInput<>/resourceOutput<>`).not.toMatch(/resource(Input|Output)</);
      expect(f.source, `${f.path}: object/array spread`).not.toMatch(/\.\.\.[A-Za-z_]/);
      expect(f.source, `${f.path}: string starting with //`).not.toMatch(/(^|[^'])'\/\/|\}\/\//);
    }
  });

  it('still reports those constructs as errors, so the avoidance list stays accurate', async () => {
    const flagged = [
      'extension microsoftGraphV1\n',
      'var a = { ...b, c: 1 }\n',
      "var a = '//'\n",
      "using 'main.bicep'\nparam x = 'a'\n",
    ];
    for (const source of flagged)
      expect(syntaxProblems(await parseBicep(source)).length, source).toBeGreaterThan(0);
    // and a valid construct of each family parses, so the gate is not just broken
    expect(syntaxProblems(await parseBicep("var a = 'https://x'\nvar b = union(c, { d: 1 })\n"))).toEqual([]);
  });
});

describe('bicep parameters and outputs', () => {
  it('describes every parameter, AVM-style (Required./Optional./Conditional.)', () => {
    const missing: string[] = [];
    for (const f of files.values()) {
      for (const d of f.decls.filter((x) => x.kind === 'param')) {
        const text = description(d);
        if (!text || !/^(Required|Optional|Conditional|Generated)\. /.test(text))
          missing.push(`${f.path}: ${d.name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(file('bicep/main.bicep').decls.filter((d) => d.kind === 'param').length).toBeGreaterThan(10);
  });

  it('marks optional parameters with a default and required ones without', () => {
    const wrong: string[] = [];
    for (const f of files.values()) {
      for (const d of f.decls.filter((x) => x.kind === 'param')) {
        const hasDefault = declarationValue(d) !== undefined;
        const text = description(d) ?? '';
        if (text.startsWith('Required.') && hasDefault)
          wrong.push(`${f.path}: ${d.name} is Required but has a default`);
        if (text.startsWith('Optional.') && !hasDefault)
          wrong.push(`${f.path}: ${d.name} is Optional but has no default`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('puts @secure() on every parameter that looks like a secret', () => {
    const unsafe: string[] = [];
    let checked = 0;
    for (const f of files.values()) {
      for (const d of f.decls.filter((x) => x.kind === 'param')) {
        if (!SECRET_NAME.test(d.name) || SECRET_REFERENCE.test(d.name)) continue;
        checked++;
        if (!d.decorators.some((x) => x.name === 'secure')) unsafe.push(`${f.path}: ${d.name}`);
      }
    }
    expect(unsafe).toEqual([]);
    // the deployment takes no secret values at all: secrets are Key Vault references by name
    expect(checked).toBe(0);
    expect(file('bicep/main.bicep').decls.some((d) => d.name === 'graphClientSecretName')).toBe(true);
  });

  it('never outputs a secret', () => {
    const leaks: string[] = [];
    for (const f of files.values()) {
      for (const d of f.decls.filter((x) => x.kind === 'output')) {
        const value = declarationValue(d)?.text ?? '';
        if (d.decorators.some((x) => x.name === 'secure')) leaks.push(`${f.path}: ${d.name} is @secure`);
        if (SECRET_NAME.test(d.name) && !SECRET_REFERENCE.test(d.name))
          leaks.push(`${f.path}: ${d.name} (name)`);
        if (/\blist[A-Z]\w*\(|listKeys|connectionString|primaryKey|sharedKey|secretRef/i.test(value))
          leaks.push(`${f.path}: ${d.name} = ${value}`);
        if (!description(d)) leaks.push(`${f.path}: ${d.name} has no @description`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('uses no shared keys or connection strings anywhere', () => {
    for (const f of files.values()) {
      expect(f.source, f.path).not.toMatch(
        /listKeys\(|listConnectionStrings|AuthorizationRules|authorizationRules|connectionFromEnv|storageConnection/,
      );
    }
  });

  it("outputs notificationUrl in Graph's Event Hubs form", () => {
    const output = decl('bicep/main.bicep', 'output', 'notificationUrl');
    const value = declarationValue(output);
    expect(value?.type).toBe('string');
    const template = stringValue(value as Node);
    /** Bicep's `${expr}` interpolation, spelled without a JS template placeholder. */
    const interp = (expr: string) => `$\{${expr}}`;
    const ns = interp('eventHubs.outputs.fullyQualifiedNamespace');
    const hub = interp('notificationsHubName');
    const domain = interp('tenantDomain');
    expect(template).toBe(`EventHub:https://${ns}/eventhubname/${hub}?tenantId=${domain}`);
    // what Graph receives for a sample deployment
    const rendered = template
      .replace(ns, 'evhns-graph-dlp-abc.servicebus.windows.net')
      .replace(hub, 'notifications')
      .replace(domain, 'contoso.com');
    expect(rendered).toMatch(
      /^EventHub:https:\/\/[a-z0-9-]+\.servicebus\.windows\.net\/eventhubname\/[a-z0-9-]+\?tenantId=[a-z0-9.-]+$/,
    );
  });

  it('derives the fully qualified namespace from the service endpoint, lower-cased', () => {
    const output = decl('bicep/modules/event-hubs.bicep', 'output', 'fullyQualifiedNamespace');
    const expr = declarationValue(output)?.text ?? '';
    expect(expr).toMatch(/^toLower\(/);
    // evaluate the same steps on the documented endpoint shape
    const endpoint = 'https://evhns-graph-dlp-abc.servicebus.windows.net:443/';
    expect(endpoint.split('/')[2]?.split(':')[0]).toBe('evhns-graph-dlp-abc.servicebus.windows.net');
    expect(expr).toBe("toLower(split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0])");
  });
});

describe('bicep resources', () => {
  it('pins every resource to an allow-listed API version', () => {
    const resources = allResources();
    expect(resources.length).toBeGreaterThan(10);
    const wrong = resources
      .filter((r) => !(API_VERSIONS[r.type] ?? []).includes(r.apiVersion))
      .map((r) => `${r.path}: ${r.decl.name} ${r.type}@${r.apiVersion}`);
    expect(wrong).toEqual([]);
  });

  it('configures Event Hubs as Standard, Entra-only, TLS 1.2, with the expected hubs and consumer group', () => {
    const path = 'bicep/modules/event-hubs.bicep';
    const ns = objectProperties(body(decl(path, 'resource', 'namespace')));
    expect(ns.get('sku')?.text).toMatch(/name: 'Standard'/);
    const props = objectProperties(ns.get('properties') as Node);
    expect(props.get('disableLocalAuth')?.text).toBe('true');
    expect(props.get('minimumTlsVersion')?.text).toBe("'1.2'");
    expect(declarationValue(decl(path, 'param', 'notificationsHubName'))?.text).toBe("'notifications'");
    expect(declarationValue(decl(path, 'param', 'findingsHubName'))?.text).toBe("'findings'");
    expect(declarationValue(decl(path, 'param', 'consumerGroupName'))?.text).toBe("'graph-dlp'");
    expect(resourceType(decl(path, 'resource', 'consumerGroup')).type).toBe(
      'Microsoft.EventHub/namespaces/eventhubs/consumergroups',
    );
  });

  it('configures storage without shared keys or public access and with the worker containers', () => {
    const path = 'bicep/modules/storage.bicep';
    const props = objectProperties(
      objectProperties(body(decl(path, 'resource', 'account'))).get('properties') as Node,
    );
    expect(props.get('allowSharedKeyAccess')?.text).toBe('false');
    expect(props.get('allowBlobPublicAccess')?.text).toBe('false');
    expect(props.get('minimumTlsVersion')?.text).toBe("'TLS1_2'");
    expect(props.get('defaultToOAuthAuthentication')?.text).toBe('true');
    const main = file('bicep/main.bicep');
    for (const [name, value] of [
      ['checkpointContainerName', 'checkpoints'],
      ['deadletterContainerName', 'deadletters'],
      ['findingsContainerName', 'findings'],
      ['controlContainerName', 'graph-dlp-control'],
    ]) {
      expect(declarationValue(decl(main.path, 'var', name as string))?.text).toBe(`'${value}'`);
    }
  });

  it('configures Key Vault with RBAC, soft delete and purge protection', () => {
    const props = objectProperties(
      objectProperties(body(decl('bicep/modules/key-vault.bicep', 'resource', 'vault'))).get(
        'properties',
      ) as Node,
    );
    expect(props.get('enableRbacAuthorization')?.text).toBe('true');
    expect(props.get('enableSoftDelete')?.text).toBe('true');
    expect(props.get('enablePurgeProtection')?.text).toBe('true');
  });

  it('ships logs through diagnostic settings so Log Analytics can keep local auth disabled', () => {
    const law = objectProperties(body(decl('bicep/modules/log-analytics.bicep', 'resource', 'workspace')));
    expect(law.get('properties')?.text).toMatch(/disableLocalAuth: true/);
    const envFile = 'bicep/modules/container-apps-environment.bicep';
    expect(body(decl(envFile, 'resource', 'environment')).text).toMatch(/destination: 'azure-monitor'/);
    expect(resourceType(decl(envFile, 'resource', 'diagnostics')).type).toBe(
      'Microsoft.Insights/diagnosticSettings',
    );
  });
});

describe('bicep container app and KEDA scale rule', () => {
  const appPath = 'bicep/modules/container-app.bicep';

  function scaleRuleMetadata(): Map<string, Node> {
    const custom = objectsWith(file(appPath).tree.rootNode, 'type', "'azure-eventhub'");
    expect(custom).toHaveLength(1);
    const metadata = objectProperties(custom[0] as Node).get('metadata');
    expect(metadata?.type).toBe('object');
    return objectProperties(metadata as Node);
  }

  it('spells every KEDA metadata key exactly and sets the ones identity auth needs', () => {
    const metadata = scaleRuleMetadata();
    expect([...metadata.keys()].filter((k) => !KEDA_KEYS.has(k))).toEqual([]);
    expect(KEDA_REQUIRED_WITH_IDENTITY.filter((k) => !metadata.has(k))).toEqual([]);
    expect(metadata.get('checkpointStrategy')?.text).toBe("'blobMetadata'");
    for (const f of files.values())
      expect(f.source, f.path).not.toMatch(/checkPointStrategy|CheckpointStrategy/);
  });

  it('gives KEDA string values only (ACA metadata is map<string,string>)', () => {
    for (const [key, value] of scaleRuleMetadata()) {
      const isStringLiteral = value.type === 'string';
      const isStringCall =
        value.type === 'call_expression' && /^(string|toLower|toUpper|format)\(/.test(value.text);
      expect(isStringLiteral || isStringCall, `${key}: ${value.text}`).toBe(true);
    }
  });

  it('lower-cases the names KEDA uses to find checkpoint blobs', () => {
    for (const key of [
      'eventHubNamespace',
      'eventHubName',
      'consumerGroup',
      'blobContainer',
      'storageAccountName',
    ]) {
      expect(scaleRuleMetadata().get(key)?.text, key).toMatch(/^toLower\(/);
    }
    // eventHubNamespace is the short name (KEDA appends the suffix), not the FQDN
    const main = body(decl('bicep/main.bicep', 'module', 'app'));
    expect(
      objectProperties(objectProperties(main).get('params') as Node).get('eventHubsNamespaceName')?.text,
    ).toBe('eventHubsNamespaceName');
  });

  it('authenticates the scale rule with the user-assigned identity', () => {
    const custom = objectsWith(file(appPath).tree.rootNode, 'type', "'azure-eventhub'")[0] as Node;
    expect(objectProperties(custom).get('identity')?.text).toBe('identityResourceId');
    expect(objectProperties(custom).has('auth')).toBe(false);
    expect(resourceType(decl(appPath, 'resource', 'app')).apiVersion >= '2025-01-01').toBe(true);
  });

  it('keeps at least one replica and never more replicas than partitions', () => {
    for (const path of ['bicep/main.bicep', appPath]) {
      const min = decl(path, 'param', 'minReplicas');
      expect(min.decorators.find((d) => d.name === 'minValue')?.args).toEqual(['1']);
    }
    expect(declarationValue(decl('bicep/main.bicep', 'var', 'effectiveMaxReplicas'))?.text).toBe(
      'min(maxReplicas, partitionCount)',
    );
    const params = objectProperties(
      objectProperties(body(decl('bicep/main.bicep', 'module', 'app'))).get('params') as Node,
    );
    expect(params.get('maxReplicas')?.text).toBe('effectiveMaxReplicas');
    expect(params.get('minReplicas')?.text).toBe('min(minReplicas, effectiveMaxReplicas)');
    const scale = objectProperties(propertyValues(file(appPath).tree.rootNode, 'scale')[0] as Node);
    expect(scale.get('minReplicas')?.text).toBe('min(minReplicas, maxReplicas)');
    expect(scale.get('maxReplicas')?.text).toBe('maxReplicas');
    const partitions = decl('bicep/main.bicep', 'param', 'partitionCount');
    expect(Number(partitions.decorators.find((d) => d.name === 'maxValue')?.args[0])).toBeLessThanOrEqual(32);
  });

  it('probes /healthz and /readyz on the health port and runs a single revision without ingress', () => {
    const root = file(appPath).tree.rootNode;
    const probes = propertyValues(root, 'probes')[0] as Node;
    const byType = new Map(
      namedChildren(probes).map((p) => [objectProperties(p).get('type')?.text, objectProperties(p)]),
    );
    expect([...byType.keys()].sort()).toEqual(["'Liveness'", "'Readiness'", "'Startup'"]);
    for (const probe of byType.values()) {
      const http = objectProperties(probe.get('httpGet') as Node);
      expect(http.get('port')?.text).toBe('healthPort');
    }
    expect(objectProperties(byType.get("'Liveness'")?.get('httpGet') as Node).get('path')?.text).toBe(
      'livenessPath',
    );
    expect(objectProperties(byType.get("'Readiness'")?.get('httpGet') as Node).get('path')?.text).toBe(
      'readinessPath',
    );
    const mainParams = objectProperties(
      objectProperties(body(decl('bicep/main.bicep', 'module', 'app'))).get('params') as Node,
    );
    expect(mainParams.get('livenessPath')?.text).toBe("'/healthz'");
    expect(mainParams.get('readinessPath')?.text).toBe("'/readyz'");
    expect(mainParams.get('healthPort')?.text).toBe('healthPort');
    expect(propertyValues(root, 'activeRevisionsMode')[0]?.text).toBe("'Single'");
    expect(propertyValues(root, 'ingress')).toEqual([]);
    expect(propertyValues(root, 'terminationGracePeriodSeconds')[0]?.text).toBe(
      'terminationGracePeriodSeconds',
    );
  });

  it('sets the worker env from the config contract, in Azure mode with managed identity', () => {
    const workerEnv = declarationValue(decl('bicep/main.bicep', 'var', 'workerEnv')) as Node;
    const mainRoot = file('bicep/main.bicep').tree.rootNode;
    const names = propertyValues(mainRoot, 'name')
      .filter((v) => v.type === 'string' && /^'[A-Z][A-Z0-9_]+'$/.test(v.text))
      .map((v) => stringValue(v));
    expect(names.filter((n) => !CONTRACT_ENV.has(n))).toEqual([]);
    for (const required of [
      'GDLP_MODE',
      'EVENTHUB_NAMESPACE',
      'STORAGE_ACCOUNT_URL',
      'AZURE_CLIENT_ID',
      'GDLP_KEY_SOURCE',
      'GDLP_KEYVAULT_URL',
      'GDLP_TENANT_ID',
      'GDLP_TENANT_DOMAIN',
      'GDLP_HEALTH_PORT',
      'GDLP_SHUTDOWN_DEADLINE_MS',
    ]) {
      expect(names, required).toContain(required);
    }
    expect(objectsWith(workerEnv, 'name', "'GDLP_MODE'")[0]?.text).toMatch(/value: 'azure'/);
    expect(objectsWith(workerEnv, 'name', "'AZURE_CLIENT_ID'")[0]?.text).toMatch(
      /identity\.outputs\.clientId/,
    );
    expect(objectsWith(workerEnv, 'name', "'GDLP_HEALTH_PORT'")[0]?.text).toMatch(/string\(healthPort\)/);
    // secrets only by reference, never as plain values
    const keyVaultEnv = objectProperties(
      descendants(
        declarationValue(decl('bicep/main.bicep', 'var', 'secretEnvEntries')) as Node,
        'object',
      )[0] as Node,
    );
    expect([...keyVaultEnv.keys()].sort()).toEqual(['name', 'secretRef']);
    expect(objectsWith(mainRoot, 'name', "'GDLP_GRAPH_CLIENT_SECRET'")[0]?.text).toMatch(/secretRef:/);
    // the drain deadline fits inside the grace period
    expect(declarationValue(decl('bicep/main.bicep', 'var', 'shutdownDeadlineMs'))?.text).toBe(
      'min((terminationGracePeriodSeconds - 10) * 1000, 29000)',
    );
  });

  it('gives every resource a lower-case name', () => {
    const main = file('bicep/main.bicep');
    const nameVars = main.decls.filter((d) => d.kind === 'var' && /Name$/.test(d.name));
    expect(nameVars.length).toBeGreaterThan(8);
    for (const d of nameVars) {
      const value = declarationValue(d) as Node;
      if (value.type === 'string') expect(stringValue(value), d.name).toBe(stringValue(value).toLowerCase());
      else expect(value.text, d.name).toMatch(/^toLower\(/);
    }
    // module defaults and the container list are lower-case literals too
    for (const f of files.values()) {
      for (const d of f.decls.filter(
        (x) => x.kind === 'param' && /Names?$/.test(x.name) && !/sku/i.test(x.name),
      )) {
        for (const s of descendants(declarationValue(d) ?? d.node, 'string_content')) {
          if (d.node.text.includes('=')) expect(s.text, `${f.path}: ${d.name}`).toBe(s.text.toLowerCase());
        }
      }
    }
  });
});

describe('bicep role assignments', () => {
  it('pins built-in role GUIDs exactly as the role table says', () => {
    const roles = objectProperties(
      declarationValue(decl('bicep/modules/common.bicep', 'var', 'builtInRoleIds')) as Node,
    );
    expect([...roles.keys()].sort()).toEqual(Object.keys(ROLE_KEYS).sort());
    for (const [key, value] of roles) {
      expect(stringValue(value), key).toBe(ROLE_TABLE[ROLE_KEYS[key] as string]);
    }
    // the classic mistake: Receiver and Sender swapped
    expect(stringValue(roles.get('eventHubsDataReceiver') as Node)).toBe(
      'a638d3c7-ab3a-418d-83e6-5f17a39d4fde',
    );
    expect(stringValue(roles.get('eventHubsDataSender') as Node)).toBe(
      '2b629674-e913-4c01-ae53-ef4638d8f975',
    );
  });

  it('uses no GUID literal outside the table (and none of the over-broad roles)', () => {
    const known = new Set([
      ...Object.values(ROLE_TABLE),
      GRAPH_CHANGE_TRACKING_APP_ID,
      '00000000-0000-0000-0000-000000000000',
    ]);
    for (const f of files.values()) {
      const guids = f.source.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];
      expect(
        guids.filter((g) => !known.has(g.toLowerCase())),
        f.path,
      ).toEqual([]);
      for (const role of FORBIDDEN_ROLES)
        expect(f.source, `${f.path}: ${role}`).not.toContain(ROLE_TABLE[role]);
    }
  });

  it('scopes every role assignment to a resource (hub, container, vault, registry), never the resource group', () => {
    const expectedScopes: Record<string, string[]> = {
      'bicep/modules/event-hubs.bicep': ['notificationsHub', 'findingsHub'],
      'bicep/modules/storage.bicep': ['containers[indexOf(containerNames, assignment.containerName)]'],
      'bicep/modules/key-vault.bicep': ['vault'],
      'bicep/modules/acr-pull.bicep': ['registry'],
    };
    const assignments = allResources().filter((r) => r.type === 'Microsoft.Authorization/roleAssignments');
    expect(assignments.length).toBeGreaterThanOrEqual(5);
    for (const r of assignments) {
      const props = objectProperties(body(r.decl));
      expect(expectedScopes[r.path], `${r.path}: ${r.decl.name}`).toContain(props.get('scope')?.text);
      const inner = objectProperties(props.get('properties') as Node);
      expect(inner.get('roleDefinitionId')?.text).toMatch(
        /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions', /,
      );
      expect(inner.has('principalType'), `${r.decl.name} principalType`).toBe(true);
      expect(props.get('name')?.text).toMatch(/^guid\(/);
    }
  });

  it('grants the worker Receiver on notifications, Sender on findings and Blob Data Contributor per container', () => {
    const main = file('bicep/main.bicep');
    const eventHubsParams = objectProperties(
      objectProperties(body(decl(main.path, 'module', 'eventHubs'))).get('params') as Node,
    );
    expect(eventHubsParams.get('notificationsRoleAssignments')?.text).toMatch(/workerNotificationsRoles/);
    const notificationsRoles = declarationValue(decl(main.path, 'var', 'workerNotificationsRoles')) as Node;
    const worker = objectsWith(notificationsRoles, 'principalId', 'identity.outputs.principalId');
    expect(worker.map((o) => objectProperties(o).get('roleDefinitionId')?.text)).toEqual([
      'builtInRoleIds.eventHubsDataReceiver',
    ]);
    const findings = eventHubsParams.get('findingsRoleAssignments') as Node;
    expect(
      objectsWith(findings, 'principalId', 'identity.outputs.principalId').map(
        (o) => objectProperties(o).get('roleDefinitionId')?.text,
      ),
    ).toEqual(['builtInRoleIds.eventHubsDataSender']);
    const containerRoles = declarationValue(decl(main.path, 'var', 'workerContainerRoles')) as Node;
    // Text, not AST: tree-sitter-bicep reads a call as the first element of a multi-line array as
    // `identifier (parenthesized_expression)` (no ERROR node; a silent misparse worth knowing about).
    const calls = [...containerRoles.text.matchAll(/containerRole\([^\n]*\)/g)].map((m) => m[0]);
    expect(calls.map((c) => c.split(',')[0])).toEqual([
      'containerRole(checkpointContainerName',
      'containerRole(deadletterContainerName',
      'containerRole(findingsContainerName',
      'containerRole(controlContainerName',
    ]);
    for (const c of calls) expect(c).toContain('builtInRoleIds.storageBlobDataContributor');
  });

  it('grants Microsoft Graph Change Tracking Data Sender on the notifications hub only', () => {
    const main = file('bicep/main.bicep');
    const notificationsRoles = declarationValue(decl(main.path, 'var', 'workerNotificationsRoles')) as Node;
    const graph = objectsWith(notificationsRoles, 'principalId', 'graphChangeTrackingPrincipalId');
    expect(graph).toHaveLength(1);
    const props = objectProperties(graph[0] as Node);
    expect(props.get('roleDefinitionId')?.text).toBe('builtInRoleIds.eventHubsDataSender');
    expect(props.get('principalType')?.text).toBe("'ServicePrincipal'");
    // referenced nowhere else: not on findings, not on the namespace
    const uses = descendants(main.tree.rootNode, 'identifier').filter(
      (i) => i.text === 'graphChangeTrackingPrincipalId',
    );
    expect(uses).toHaveLength(2); // the param declaration and this one assignment
    expect(file('bicep/modules/common.bicep').source).toContain(GRAPH_CHANGE_TRACKING_APP_ID);
  });

  it('grants Key Vault roles that match the key mode', () => {
    const vaultRoles = declarationValue(decl('bicep/main.bicep', 'var', 'workerVaultRoles'))?.text ?? '';
    // Certificate User always (it reads the whole certificate incl. the private-key secret: enough for `keyvault`)
    expect(vaultRoles).toMatch(/^concat\(\s*\[\s*vaultRole\(builtInRoleIds\.keyVaultCertificateUser/);
    // Crypto User only for remote unwrap
    expect(vaultRoles).toMatch(
      /keySource == 'keyvault-remote'\s*\?\s*\[\s*vaultRole\(builtInRoleIds\.keyVaultCryptoUser[^\]]*\]\s*:\s*\[\]/,
    );
    // Secrets User only when an app secret is referenced
    expect(vaultRoles).toMatch(
      /!empty\(graphClientSecretName\) \|\| !empty\(keyVaultEnv\)\s*\?\s*\[\s*vaultRole\(builtInRoleIds\.keyVaultSecretsUser[^\]]*\]\s*:\s*\[\]/,
    );
    expect(vaultRoles.match(/keyVaultSecretsUser/g)).toHaveLength(1);
    // Secrets Officer (write) only when the clientState secrets are kept in the vault.
    expect(vaultRoles).toMatch(
      /clientStateStore == 'keyvault'\s*\?\s*\[\s*vaultRole\(builtInRoleIds\.keyVaultSecretsOfficer[^\]]*\]\s*:\s*\[\]/,
    );
    // Certificates Officer only on request
    expect(vaultRoles).toMatch(
      /workerCanManageCertificates\s*\?\s*\[\s*vaultRole\(builtInRoleIds\.keyVaultCertificatesOfficer/,
    );
    const keySource = decl('bicep/main.bicep', 'param', 'keySource');
    expect(keySource.decorators.find((d) => d.name === 'allowed')?.args[0]).toMatch(
      /'keyvault'\s+'keyvault-remote'/,
    );
  });
});

describe('bicep example parameters (main.bicepparam)', () => {
  // tree-sitter-bicep cannot parse .bicepparam (param assignments without a type), so these are line checks.
  const source = readRepoFile('bicep/main.bicepparam');

  it('targets main.bicep and sets only parameters main.bicep declares, including every required one', () => {
    expect(source).toMatch(/^using 'main\.bicep'$/m);
    const main = file('bicep/main.bicep').decls.filter((d) => d.kind === 'param');
    const declared = new Set(main.map((d) => d.name));
    const assigned = [...source.matchAll(/^param (\w+) =/gm)].map((m) => m[1] as string);
    expect(assigned.filter((n) => !declared.has(n))).toEqual([]);
    const required = main.filter((d) => declarationValue(d) === undefined).map((d) => d.name);
    expect(required.filter((n) => !assigned.includes(n))).toEqual([]);
  });

  it('carries no secret values', () => {
    expect(source).not.toMatch(/secret\s*=\s*'[^']+'|password|AccountKey=|SharedAccessKey=/i);
    expect(source).not.toMatch(/:latest'/);
  });
});

describe("bicep env aligned with the worker's declared options (src/config/options)", () => {
  interface Spec {
    env: string;
    values?: readonly string[];
    min?: number;
    max?: number;
    secret?: boolean;
  }
  let specs = new Map<string, Spec>();

  beforeAll(async () => {
    const dir = join(repoRoot, 'src', 'config', 'options');
    const all: Spec[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'index.ts')) {
      const mod = (await import(pathToFileURL(join(dir, name)).href)) as Record<string, unknown>;
      for (const value of Object.values(mod)) {
        if (Array.isArray(value)) all.push(...(value as Spec[]).filter((s) => typeof s?.env === 'string'));
      }
    }
    specs = new Map(all.map((s) => [s.env, s]));
  });

  function envNamesSetByBicep(): string[] {
    return propertyValues(file('bicep/main.bicep').tree.rootNode, 'name')
      .filter((v) => v.type === 'string' && /^'[A-Z][A-Z0-9_]+'$/.test(v.text))
      .map((v) => stringValue(v));
  }

  function allowedValues(param: string): string[] {
    const allowed =
      decl('bicep/main.bicep', 'param', param).decorators.find((d) => d.name === 'allowed')?.args[0] ?? '';
    return [...allowed.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
  }

  it('sets only variables the worker declares (AZURE_CLIENT_ID is read by @azure/identity)', () => {
    expect(specs.size).toBeGreaterThan(10);
    const undeclared = envNamesSetByBicep().filter((n) => n !== 'AZURE_CLIENT_ID' && !specs.has(n));
    expect(undeclared).toEqual([]);
  });

  it('passes secrets only as secret references, for options the worker marks secret', () => {
    const root = file('bicep/main.bicep').tree.rootNode;
    for (const name of envNamesSetByBicep()) {
      const entry = objectsWith(root, 'name', `'${name}'`)[0] as Node;
      const hasSecretRef = objectProperties(entry).has('secretRef');
      expect(hasSecretRef, name).toBe(specs.get(name)?.secret === true);
    }
  });

  it('offers only values the worker accepts', () => {
    const pairs: [string, string][] = [
      ['keySource', 'GDLP_KEY_SOURCE'],
      ['paymentModel', 'GDLP_PAYMENT_MODEL'],
      ['logLevel', 'GDLP_LOG_LEVEL'],
    ];
    for (const [param, env] of pairs) {
      const accepted = specs.get(env)?.values ?? [];
      expect(
        allowedValues(param).filter((v) => !accepted.includes(v)),
        `${param} → ${env}`,
      ).toEqual([]);
    }
    expect(specs.get('GDLP_MODE')?.values).toContain('azure');
  });

  /** Sample values for deployment-time outputs; everything else is resolved from main.bicep's own params and vars. */
  const RUNTIME_SAMPLES: Record<string, string> = {
    'identity.outputs.clientId': '11111111-2222-3333-4444-555555555555',
    'eventHubs.outputs.fullyQualifiedNamespace': 'evhns-graph-dlp-abc123.servicebus.windows.net',
    'storage.outputs.blobUrl': 'https://stgraphdlpabc123.blob.core.windows.net',
    'keyVault.outputs.uri': 'https://kv-graph-dlp-abc123.vault.azure.net/',
    'tenant().tenantId': '99999999-8888-7777-6666-555555555555',
    tenantDomain: 'contoso.com',
    graphClientId: '22222222-3333-4444-5555-666666666666',
    "join(subscriptionResources, ',')": '/teams/getAllMessages,/chats/getAllMessages',
  };

  /** Evaluates the small expression forms main.bicep uses for env values, with parameter defaults. */
  function evaluate(
    expr: string,
    overrides: Record<string, string | number | boolean>,
  ): string | number | boolean {
    const e = expr.trim();
    if (e in RUNTIME_SAMPLES) return RUNTIME_SAMPLES[e] as string;
    if (e in overrides) return overrides[e] as string | number | boolean;
    if (/^'[^']*'$/.test(e)) return e.slice(1, -1);
    if (/^\d+$/.test(e)) return Number(e);
    if (e === 'true' || e === 'false') return e === 'true';
    let m = /^string\((.+)\)$/.exec(e);
    if (m) return String(evaluate(m[1] as string, overrides));
    m = /^(\w+) \? ('[^']*') : ('[^']*')$/.exec(e);
    if (m)
      return evaluate(evaluate(m[1] as string, overrides) ? (m[2] as string) : (m[3] as string), overrides);
    m = /^min\(\((\w+) - (\d+)\) \* (\d+), (\d+)\)$/.exec(e);
    if (m)
      return Math.min(
        (Number(evaluate(m[1] as string, overrides)) - Number(m[2])) * Number(m[3]),
        Number(m[4]),
      );
    const main = file('bicep/main.bicep');
    const named = main.decls.find((d) => (d.kind === 'param' || d.kind === 'var') && d.name === e);
    const value = named ? declarationValue(named) : undefined;
    if (value) return evaluate(value.text, overrides);
    throw new Error(`test cannot evaluate env expression \`${e}\`: add a sample to RUNTIME_SAMPLES`);
  }

  async function bicepEnv(
    overrides: Record<string, string | number | boolean>,
  ): Promise<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const name of envNamesSetByBicep()) {
      const entry = objectProperties(
        objectsWith(file('bicep/main.bicep').tree.rootNode, 'name', `'${name}'`)[0] as Node,
      );
      const value = entry.get('value');
      // secretRef values come from Key Vault at revision start; any non-empty string stands in for them
      env[name] = value ? String(evaluate(value.text, overrides)) : 'secret-from-key-vault';
    }
    return env;
  }

  it("produces an environment the worker's config loader accepts, for both Key Vault modes", async () => {
    const { loadConfig } = await import('../../src/config/index.js');
    for (const keySource of ['keyvault', 'keyvault-remote']) {
      const env = await bicepEnv({ keySource });
      expect(env.GDLP_MODE).toBe('azure');
      expect(env.GDLP_KEY_SOURCE).toBe(keySource);
      expect(env.GDLP_SHUTDOWN_DEADLINE_MS).toBe('29000');
      expect(() => loadConfig({ env })).not.toThrow();
    }
    // the shortest allowed grace period still yields a valid deadline
    const shortest = Number(
      decl('bicep/main.bicep', 'param', 'terminationGracePeriodSeconds').decorators.find(
        (d) => d.name === 'minValue',
      )?.args[0],
    );
    const env = await bicepEnv({ terminationGracePeriodSeconds: shortest });
    expect(() => loadConfig({ env })).not.toThrow();
  });

  it("keeps numbers inside the worker's ranges (shutdown deadline, health port)", () => {
    const deadline = specs.get('GDLP_SHUTDOWN_DEADLINE_MS') as Spec;
    const grace = decl('bicep/main.bicep', 'param', 'terminationGracePeriodSeconds');
    const graceMin = Number(grace.decorators.find((d) => d.name === 'minValue')?.args[0]);
    const cap = Number(
      /, (\d+)\)$/.exec(
        declarationValue(decl('bicep/main.bicep', 'var', 'shutdownDeadlineMs'))?.text ?? '',
      )?.[1],
    );
    expect((graceMin - 10) * 1000).toBeGreaterThanOrEqual(deadline.min ?? 0);
    expect(cap).toBeLessThanOrEqual(deadline.max ?? Number.POSITIVE_INFINITY);
    const port = specs.get('GDLP_HEALTH_PORT') as Spec;
    const healthPort = decl('bicep/main.bicep', 'param', 'healthPort');
    expect(Number(healthPort.decorators.find((d) => d.name === 'minValue')?.args[0])).toBeGreaterThanOrEqual(
      port.min ?? 0,
    );
    expect(Number(healthPort.decorators.find((d) => d.name === 'maxValue')?.args[0])).toBeLessThanOrEqual(
      port.max ?? 65535,
    );
  });
});
