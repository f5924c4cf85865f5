// graph-dlp on Azure Container Apps: Event Hubs (Graph delivers Teams change notifications there), checkpoint
// storage, Key Vault for the notification-encryption certificate, Log Analytics, and the worker app scaled by KEDA
// on its own checkpoints. Everything authenticates with Entra ID (one user-assigned identity); no connection
// strings or shared keys exist. Deploy: az deployment group create -g <rg> -f bicep/main.bicep -p bicep/main.bicepparam

metadata name = 'graph-dlp on Azure Container Apps'
metadata description = 'Event Hubs, checkpoint storage, Key Vault, Log Analytics and the graph-dlp worker (KEDA-scaled Container App) with least-privilege Entra ID role assignments.'

targetScope = 'resourceGroup'

import { builtInRoleIds, roleAssignmentType, containerRoleAssignmentType } from 'modules/common.bicep'

// ---------- naming and placement ----------

@description('Required. Short workload name used in every resource name (lower-case letters, digits, hyphens; e.g. graph-dlp or gdlp-prod).')
@minLength(2)
@maxLength(12)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to every resource.')
param tags object = {}

// ---------- Microsoft Graph and the tenant ----------

@description('Required. Primary domain of the tenant that holds the Event Hubs namespace (Entra ID > Overview > Primary domain, e.g. contoso.com). Used as tenantId= in Graph\'s notificationUrl.')
param tenantDomain string

@description('Required. Object id of the "Microsoft Graph Change Tracking" service principal (appId 0bf30f3b-4a52-48df-9a82-234910c4a086) in this tenant: az ad sp show --id 0bf30f3b-4a52-48df-9a82-234910c4a086 --query id -o tsv')
@minLength(36)
@maxLength(36)
param graphChangeTrackingPrincipalId string

@description('Optional. Application (client) id of the app registration that owns the Graph subscriptions. Empty: the worker\'s managed identity calls Graph (grant it the Graph application permissions instead).')
param graphClientId string = ''

@description('Conditional. Name of the Key Vault secret holding the app registration\'s client secret. Required if graphClientId is set (without a secret the worker would use GDLP_GRAPH_CLIENT_ID as a managed identity client id); the secret must exist before the app revision starts.')
param graphClientSecretName string = ''

@description('Optional. Graph resources to subscribe to. Empty: the worker\'s default (/teams/getAllMessages and /chats/getAllMessages).')
param subscriptionResources string[] = []

@description('Optional. Teams payment model put in the subscription resource (A = security and compliance apps such as DLP).')
@allowed([
  'A'
  'B'
  'none'
])
param paymentModel string = 'A'

// ---------- Event Hubs ----------

@description('Optional. Throughput units of the Standard Event Hubs namespace.')
@minValue(1)
@maxValue(20)
param eventHubsCapacity int = 1

@description('Optional. Partitions of the notifications hub; also the maximum number of worker replicas. Plan it up front: changing it means recreating the hub.')
@minValue(1)
@maxValue(32)
param partitionCount int = 4

@description('Optional. Days events stay in the hubs (Standard tier: 1-7); this is how far back a replay can go.')
@minValue(1)
@maxValue(7)
param messageRetentionInDays int = 7

@description('Optional. Spread the Event Hubs namespace over availability zones where the region supports it.')
param eventHubsZoneRedundant bool = true

// ---------- storage ----------

@description('Optional. Redundancy of the checkpoint storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSkuName string = 'Standard_LRS'

// ---------- keys ----------

@description('Optional. Where the worker gets the notification-decryption key: keyvault = certificate\'s private key loaded into memory (fast, key is exportable); keyvault-remote = every unwrap is a Key Vault decrypt call (key never leaves the vault; Key Vault throttling limits throughput).')
@allowed([
  'keyvault'
  'keyvault-remote'
])
param keySource string = 'keyvault'

@description('Optional. Name of the Key Vault certificate used for Graph\'s encryptionCertificate.')
param keyVaultCertificateName string = 'graph-dlp-notifications'

@description('Optional. Let the worker identity create the certificate at start-up when none exists and rotate it (Key Vault Certificates Officer; sets GDLP_KEY_CREATE_IF_MISSING). Off: an operator runs graph-dlp keys create/rotate.')
param workerCanManageCertificates bool = false

@description('Optional. Where the subscriptions\' clientState secrets are kept: blob = a JSON blob in the control container (Storage Blob Data Contributor, already granted); keyvault = one secret in the deployed Key Vault (grants the worker identity Key Vault Secrets Officer on the vault).')
@allowed([
  'blob'
  'keyvault'
])
param clientStateStore string = 'blob'

@description('Optional. How often (ms) the leader replica backfills recorded subscription gaps from Graph through the Teams export APIs (metered; the app also needs Team.ReadBasic.All and User.Read.All). 0 = off: run graph-dlp backfill yourself.')
@minValue(0)
param autoBackfillIntervalMs int = 0

@description('Optional. Days a deleted vault or certificate can be recovered.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionInDays int = 90

// ---------- operator access ----------

@description('Optional. Object id of the operator (user, group or service principal) who runs graph-dlp keys, checkpoints and deadletter commands; empty for none.')
param operatorPrincipalId string = ''

@description('Optional. Principal type of operatorPrincipalId.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// ---------- container app ----------

@description('Required. Worker image, pinned by tag or digest (never latest), e.g. myregistry.azurecr.io/graph-dlp:0.1.0.')
param containerImage string

@description('Optional. Name of an Azure Container Registry the image is pulled from with the worker identity (AcrPull is granted); empty for a public image.')
param containerRegistryName string = ''

@description('Optional. Resource group of containerRegistryName; empty means this resource group.')
param containerRegistryResourceGroupName string = ''

@description('Optional. vCPU per replica as a string (Consumption pairs: 0.25/0.5Gi, 0.5/1Gi, 1.0/2Gi, 2.0/4Gi, ...).')
param cpu string = '0.5'

@description('Optional. Memory per replica (twice the vCPU, in Gi).')
param memory string = '1Gi'

@description('Optional. Minimum replicas; at least 1 so Graph subscription renewals never stop.')
@minValue(1)
@maxValue(32)
param minReplicas int = 1

@description('Optional. Maximum replicas; capped at partitionCount (a replica without a partition sits idle).')
@minValue(1)
@maxValue(32)
param maxReplicas int = 4

@description('Optional. Target unprocessed events per replica for the KEDA azure-eventhub scaler.')
@minValue(1)
param unprocessedEventThreshold int = 64

@description('Optional. Seconds between SIGTERM and SIGKILL; the worker\'s drain deadline (GDLP_SHUTDOWN_DEADLINE_MS) is set 10 seconds shorter, at most 29 seconds (the worker\'s limit).')
@minValue(20)
@maxValue(3600)
param terminationGracePeriodSeconds int = 40

@description('Optional. Port of the worker\'s health server (/healthz, /readyz).')
@minValue(1024)
@maxValue(65535)
param healthPort int = 8080

@description('Optional. Where findings go (comma-separated: file, blob, eventhubs, http, graph). graph = policyViolation write-back and needs the UpdatePolicyViolation permissions.')
param sinks string = 'eventhubs,blob'

@description('Optional. Where a fresh consumer group starts: earliest, latest or an ISO-8601 time.')
param startPosition string = 'earliest'

@description('Optional. Worker log level.')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
])
param logLevel string = 'info'

@description('Optional. Extra plain (non-secret) environment variables for the worker, e.g. [{ name: \'GDLP_POLICY_FILE\', value: \'/app/policy.yaml\' }].')
param additionalEnv object[] = []

@description('One worker environment variable whose value is a Key Vault secret.')
type keyVaultEnvType = {
  @description('Required. Environment variable name, e.g. GDLP_WEBHOOK_URL or GDLP_WEBHOOK_SECRET.')
  name: string

  @description('Required. Name of the secret in the deployed Key Vault (lower-case letters, digits, hyphens); it must exist before the revision starts.')
  secretName: string
}

@description('Optional. Secret environment variables resolved from the deployed Key Vault with the worker identity (grants it Key Vault Secrets User), e.g. [{ name: \'GDLP_WEBHOOK_SECRET\', secretName: \'webhook-secret\' }].')
param keyVaultEnv keyVaultEnvType[] = []

// ---------- logs ----------

@description('Optional. Days Log Analytics keeps the worker logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

// ---------- names (lower-case everywhere: KEDA and the JS checkpoint store must agree on blob paths) ----------

var resourceToken = toLower(uniqueString(resourceGroup().id, name, location))
var baseName = toLower(name)
var eventHubsNamespaceName = toLower('evhns-${baseName}-${resourceToken}')
var storageAccountName = toLower(take('st${replace(baseName, '-', '')}${resourceToken}', 24))
var keyVaultName = toLower(take('kv-${baseName}-${resourceToken}', 24))
var logAnalyticsName = toLower('log-${baseName}-${resourceToken}')
var identityName = toLower('id-${baseName}-${resourceToken}')
var environmentName = toLower('cae-${baseName}-${resourceToken}')
var containerAppName = toLower(take('ca-${baseName}-${resourceToken}', 32))

var notificationsHubName = 'notifications'
var findingsHubName = 'findings'
var consumerGroupName = 'graph-dlp'
var checkpointContainerName = 'checkpoints'
var deadletterContainerName = 'deadletters'
var findingsContainerName = 'findings'
// Leader lease, subscription registry and clientState secrets of the subscription manager (GDLP_CONTROL_CONTAINER).
var controlContainerName = 'graph-dlp-control'

var effectiveMaxReplicas = min(maxReplicas, partitionCount)
// GDLP_SHUTDOWN_DEADLINE_MS accepts 1000-29000 ms; keep 10 s of the grace period for closing clients.
var shutdownDeadlineMs = min((terminationGracePeriodSeconds - 10) * 1000, 29000)

// ---------- resources ----------

module logAnalytics 'modules/log-analytics.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-log-analytics'
  params: {
    name: logAnalyticsName
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module identity 'modules/identity.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-identity'
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

var operatorEnabled = !empty(operatorPrincipalId)

var workerNotificationsRoles = [
  {
    roleDefinitionId: builtInRoleIds.eventHubsDataReceiver
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    description: 'graph-dlp worker consumes notifications; KEDA scaler reads partition properties'
  }
  {
    roleDefinitionId: builtInRoleIds.eventHubsDataSender
    principalId: graphChangeTrackingPrincipalId
    principalType: 'ServicePrincipal'
    description: 'Microsoft Graph Change Tracking delivers change notifications'
  }
]

var operatorNotificationsRoles = operatorEnabled
  ? [
      {
        roleDefinitionId: builtInRoleIds.eventHubsDataReceiver
        principalId: operatorPrincipalId
        principalType: operatorPrincipalType
        description: 'graph-dlp operator reads partition properties (checkpoints show/reset)'
      }
    ]
  : []

module eventHubs 'modules/event-hubs.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-event-hubs'
  params: {
    name: eventHubsNamespaceName
    location: location
    tags: tags
    capacity: eventHubsCapacity
    zoneRedundant: eventHubsZoneRedundant
    notificationsHubName: notificationsHubName
    findingsHubName: findingsHubName
    consumerGroupName: consumerGroupName
    partitionCount: partitionCount
    messageRetentionInDays: messageRetentionInDays
    notificationsRoleAssignments: concat(workerNotificationsRoles, operatorNotificationsRoles)
    findingsRoleAssignments: [
      {
        roleDefinitionId: builtInRoleIds.eventHubsDataSender
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        description: 'graph-dlp worker publishes findings'
      }
    ]
  }
}

// Built as literals (not `for` loops): a variable loop may not use module outputs such as the identity's principal id.
// (User-defined functions cannot read variables, so the role id is an argument.)
func containerRole(containerName string, roleDefinitionId string, principalId string, principalType 'ServicePrincipal' | 'User' | 'Group', description string) containerRoleAssignmentType => {
  containerName: containerName
  roleDefinitionId: roleDefinitionId
  principalId: principalId
  principalType: principalType
  description: description
}

var workerContainerRoles = [
  containerRole(checkpointContainerName, builtInRoleIds.storageBlobDataContributor, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker checkpoints and partition ownership')
  containerRole(deadletterContainerName, builtInRoleIds.storageBlobDataContributor, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker dead-letters')
  containerRole(findingsContainerName, builtInRoleIds.storageBlobDataContributor, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker blob findings')
  containerRole(controlContainerName, builtInRoleIds.storageBlobDataContributor, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp subscription leader lease and registry')
]

var operatorContainerRoles = operatorEnabled
  ? [
      containerRole(checkpointContainerName, builtInRoleIds.storageBlobDataContributor, operatorPrincipalId, operatorPrincipalType, 'graph-dlp operator (checkpoints show/reset)')
      containerRole(deadletterContainerName, builtInRoleIds.storageBlobDataContributor, operatorPrincipalId, operatorPrincipalType, 'graph-dlp operator (deadletter list/show/redrive)')
    ]
  : []

module storage 'modules/storage.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-storage'
  params: {
    name: storageAccountName
    location: location
    tags: tags
    skuName: storageSkuName
    containerNames: [
      checkpointContainerName
      deadletterContainerName
      findingsContainerName
      controlContainerName
    ]
    containerRoleAssignments: concat(workerContainerRoles, operatorContainerRoles)
  }
}

func vaultRole(roleDefinitionId string, principalId string, principalType 'ServicePrincipal' | 'User' | 'Group', description string) roleAssignmentType => {
  roleDefinitionId: roleDefinitionId
  principalId: principalId
  principalType: principalType
  description: description
}

// Key Vault Certificate User reads the entire certificate, including the secret that carries its private key
// (built-in role description), which is all the in-memory source (keyvault) needs. keyvault-remote adds Crypto User
// for unwrapKey/decrypt, so the private key never leaves the vault.
var workerVaultRoles = concat(
  [
    vaultRole(builtInRoleIds.keyVaultCertificateUser, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker reads the notification certificate')
  ],
  keySource == 'keyvault-remote'
    ? [
        vaultRole(builtInRoleIds.keyVaultCryptoUser, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker unwraps notification keys in Key Vault')
      ]
    : [],
  // App secrets (Graph client secret, keyVaultEnv) are Key Vault references resolved with the worker identity.
  !empty(graphClientSecretName) || !empty(keyVaultEnv)
    ? [
        vaultRole(builtInRoleIds.keyVaultSecretsUser, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp app secret references')
      ]
    : [],
  clientStateStore == 'keyvault'
    ? [
        vaultRole(builtInRoleIds.keyVaultSecretsOfficer, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker keeps subscription clientState secrets')
      ]
    : [],
  workerCanManageCertificates
    ? [
        vaultRole(builtInRoleIds.keyVaultCertificatesOfficer, identity.outputs.principalId, 'ServicePrincipal', 'graph-dlp worker creates and rotates certificates')
      ]
    : []
)

var operatorVaultRoles = operatorEnabled
  ? [
      {
        roleDefinitionId: builtInRoleIds.keyVaultCertificatesOfficer
        principalId: operatorPrincipalId
        principalType: operatorPrincipalType
        description: 'graph-dlp operator creates and rotates the notification certificate'
      }
    ]
  : []

module keyVault 'modules/key-vault.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-key-vault'
  params: {
    name: keyVaultName
    location: location
    tags: tags
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionInDays
    roleAssignments: concat(workerVaultRoles, operatorVaultRoles)
    logAnalyticsWorkspaceResourceId: logAnalytics.outputs.resourceId
  }
}

module environment 'modules/container-apps-environment.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-environment'
  params: {
    name: environmentName
    location: location
    tags: tags
    logAnalyticsWorkspaceResourceId: logAnalytics.outputs.resourceId
  }
}

module acrPull 'modules/acr-pull.bicep' = if (!empty(containerRegistryName)) {
  name: '${uniqueString(resourceGroup().id, location)}-acr-pull'
  scope: resourceGroup(empty(containerRegistryResourceGroupName) ? resourceGroup().name : containerRegistryResourceGroupName)
  params: {
    registryName: containerRegistryName
    principalId: identity.outputs.principalId
  }
}

var graphSecretEnv = empty(graphClientSecretName)
  ? []
  : [
      {
        name: 'GDLP_GRAPH_CLIENT_SECRET'
        secretRef: 'graph-client-secret'
      }
    ]

var secretEnvEntries = [
  for item in keyVaultEnv: {
    name: item.name
    secretRef: toLower(item.secretName)
  }
]

var secretEnvReferences = [
  for item in keyVaultEnv: {
    name: toLower(item.secretName)
    secretName: item.secretName
  }
]

var graphSecretReferences = empty(graphClientSecretName)
  ? []
  : [
      {
        name: 'graph-client-secret'
        secretName: graphClientSecretName
      }
    ]

var graphClientEnv = empty(graphClientId)
  ? []
  : [
      {
        name: 'GDLP_GRAPH_CLIENT_ID'
        value: graphClientId
      }
    ]

var subscriptionEnv = empty(subscriptionResources)
  ? []
  : [
      {
        name: 'GDLP_SUBSCRIPTION_RESOURCES'
        value: join(subscriptionResources, ',')
      }
    ]

// Names follow the config contract (README "Configuration"); the worker validates them all at start-up.
var workerEnv = concat(
  [
    { name: 'GDLP_MODE', value: 'azure' }
    { name: 'GDLP_LOG_LEVEL', value: logLevel }
    { name: 'AZURE_CLIENT_ID', value: identity.outputs.clientId }
    { name: 'EVENTHUB_NAMESPACE', value: eventHubs.outputs.fullyQualifiedNamespace }
    { name: 'GDLP_EVENTHUB_NAME', value: notificationsHubName }
    { name: 'GDLP_CONSUMER_GROUP', value: consumerGroupName }
    { name: 'GDLP_FINDINGS_EVENTHUB_NAME', value: findingsHubName }
    { name: 'STORAGE_ACCOUNT_URL', value: storage.outputs.blobUrl }
    { name: 'GDLP_CHECKPOINT_CONTAINER', value: checkpointContainerName }
    { name: 'GDLP_DEADLETTER_CONTAINER', value: deadletterContainerName }
    { name: 'GDLP_FINDINGS_CONTAINER', value: findingsContainerName }
    { name: 'GDLP_CONTROL_CONTAINER', value: controlContainerName }
    { name: 'GDLP_START_POSITION', value: startPosition }
    { name: 'GDLP_SINKS', value: sinks }
    { name: 'GDLP_HEALTH_PORT', value: string(healthPort) }
    { name: 'GDLP_SHUTDOWN_DEADLINE_MS', value: string(shutdownDeadlineMs) }
    { name: 'GDLP_KEY_SOURCE', value: keySource }
    { name: 'GDLP_KEYVAULT_URL', value: keyVault.outputs.uri }
    { name: 'GDLP_KEYVAULT_CERTIFICATE_NAME', value: keyVaultCertificateName }
    { name: 'GDLP_KEY_CREATE_IF_MISSING', value: workerCanManageCertificates ? 'true' : 'false' }
    { name: 'GDLP_TENANT_ID', value: tenant().tenantId }
    { name: 'GDLP_TENANT_DOMAIN', value: tenantDomain }
    { name: 'GDLP_PAYMENT_MODEL', value: paymentModel }
    { name: 'GDLP_CLIENT_STATE_STORE', value: clientStateStore }
    { name: 'GDLP_AUTO_BACKFILL_INTERVAL_MS', value: string(autoBackfillIntervalMs) }
  ],
  graphClientEnv,
  graphSecretEnv,
  subscriptionEnv,
  additionalEnv,
  secretEnvEntries
)

module app 'modules/container-app.bicep' = {
  name: '${uniqueString(resourceGroup().id, location)}-container-app'
  params: {
    name: containerAppName
    location: location
    tags: tags
    environmentResourceId: environment.outputs.resourceId
    identityResourceId: identity.outputs.resourceId
    image: containerImage
    registryServer: empty(containerRegistryName) ? '' : acrPull!.outputs.loginServer
    cpu: cpu
    memory: memory
    env: workerEnv
    keyVaultUri: keyVault.outputs.uri
    keyVaultSecretReferences: concat(graphSecretReferences, secretEnvReferences)
    healthPort: healthPort
    livenessPath: '/healthz'
    readinessPath: '/readyz'
    terminationGracePeriodSeconds: terminationGracePeriodSeconds
    minReplicas: min(minReplicas, effectiveMaxReplicas)
    maxReplicas: effectiveMaxReplicas
    eventHubsNamespaceName: eventHubsNamespaceName
    eventHubName: notificationsHubName
    consumerGroupName: consumerGroupName
    storageAccountName: storageAccountName
    checkpointContainerName: checkpointContainerName
    unprocessedEventThreshold: unprocessedEventThreshold
  }
  // The worker must hold its roles before its first replica starts (otherwise the first start fails and restarts).
  dependsOn: [
    storage
    keyVault
  ]
}

// ---------- outputs (no secrets) ----------

@description('The notificationUrl (and lifecycleNotificationUrl) for Graph subscriptions delivered to the notifications hub.')
output notificationUrl string = 'EventHub:https://${eventHubs.outputs.fullyQualifiedNamespace}/eventhubname/${notificationsHubName}?tenantId=${tenantDomain}'

@description('The Event Hubs namespace name (short).')
output eventHubsNamespaceName string = eventHubs.outputs.name

@description('The fully qualified Event Hubs namespace (EVENTHUB_NAMESPACE).')
output eventHubsFullyQualifiedNamespace string = eventHubs.outputs.fullyQualifiedNamespace

@description('The hub Graph delivers to.')
output notificationsHubName string = eventHubs.outputs.notificationsHubName

@description('The hub findings are published to.')
output findingsHubName string = eventHubs.outputs.findingsHubName

@description('The worker\'s consumer group.')
output consumerGroupName string = eventHubs.outputs.consumerGroupName

@description('The checkpoint storage account name.')
output storageAccountName string = storage.outputs.name

@description('The blob endpoint of the checkpoint storage account (STORAGE_ACCOUNT_URL).')
output storageAccountUrl string = storage.outputs.blobUrl

@description('The Key Vault name.')
output keyVaultName string = keyVault.outputs.name

@description('The Key Vault URI (GDLP_KEYVAULT_URL).')
output keyVaultUri string = keyVault.outputs.uri

@description('The container app name.')
output containerAppName string = app.outputs.name

@description('The container app resource id.')
output containerAppResourceId string = app.outputs.resourceId

@description('The client id of the worker identity (AZURE_CLIENT_ID).')
output identityClientId string = identity.outputs.clientId

@description('The object id of the worker identity (grant it Graph application permissions if graphClientId is empty).')
output identityPrincipalId string = identity.outputs.principalId

@description('The Log Analytics workspace resource id.')
output logAnalyticsWorkspaceResourceId string = logAnalytics.outputs.resourceId

@description('The maximum replicas actually configured (maxReplicas capped at partitionCount).')
output effectiveMaxReplicas int = effectiveMaxReplicas
