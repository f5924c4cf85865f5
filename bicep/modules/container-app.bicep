// The graph-dlp worker as a Container App: user-assigned identity, no ingress (it pulls from Event Hubs),
// HTTP probes on the health port, Single revision mode (partitions cannot be shared between revisions),
// and a KEDA azure-eventhub scale rule that reads the JS checkpoint store's blobs with the same identity.

metadata name = 'graph-dlp worker container app'
metadata description = 'Worker with user-assigned identity, health probes and a KEDA azure-eventhub scale rule on blob checkpoints.'

@description('One environment variable of the worker container: a plain value or a reference to an app secret.')
type envVarType = {
  @description('Required. Variable name (see the config contract in README).')
  name: string

  @description('Conditional. Plain value. Required unless secretRef is set.')
  value: string?

  @description('Conditional. Name of an app secret (see keyVaultSecretReferences). Required unless value is set.')
  secretRef: string?
}

@description('One app secret resolved from Key Vault with the worker identity at revision start.')
type keyVaultSecretType = {
  @description('Required. App secret name (lower-case letters, digits and hyphens), referenced by env secretRef.')
  name: string

  @description('Required. Name of the secret in the Key Vault given by keyVaultUri (latest version is used).')
  secretName: string
}

@description('Required. Name of the container app (lower-case, 2-32 characters).')
@minLength(2)
@maxLength(32)
param name string

@description('Optional. Location for all resources.')
param location string = resourceGroup().location

@description('Optional. Tags applied to the app.')
param tags object = {}

@description('Required. Resource id of the Container Apps managed environment.')
param environmentResourceId string

@description('Required. Resource id of the user-assigned identity used by the app, its registry pull and its scale rule.')
param identityResourceId string

@description('Required. Container image, e.g. myregistry.azurecr.io/graph-dlp:1.2.3 (pin a tag or digest; never latest).')
param image string

@description('Optional. Registry login server pulled with the identity (e.g. myregistry.azurecr.io); empty for a public image.')
param registryServer string = ''

@description('Optional. vCPU per replica, as a string because Bicep has no decimal literals (Consumption pairs: 0.25/0.5Gi ... 2.0/4.0Gi).')
param cpu string = '0.5'

@description('Optional. Memory per replica (twice the vCPU in Gi on Consumption).')
param memory string = '1Gi'

@description('Optional. Environment variables of the worker container.')
param env envVarType[] = []

@description('Optional. App secrets resolved from Key Vault.')
param keyVaultSecretReferences keyVaultSecretType[] = []

@description('Conditional. Key Vault URI with trailing slash, e.g. https://myvault.vault.azure.net/. Required if keyVaultSecretReferences is not empty.')
param keyVaultUri string = ''

@description('Optional. Container port of the worker\'s health server (GDLP_HEALTH_PORT).')
@minValue(1)
@maxValue(65535)
param healthPort int = 8080

@description('Optional. Liveness probe path.')
param livenessPath string = '/healthz'

@description('Optional. Readiness probe path.')
param readinessPath string = '/readyz'

@description('Optional. Seconds between SIGTERM and SIGKILL on scale-in or revision change; the worker drains inside this.')
@minValue(15)
@maxValue(3600)
param terminationGracePeriodSeconds int = 40

@description('Optional. Minimum replicas; at least 1 so Graph subscription renewals never stop.')
@minValue(1)
@maxValue(32)
param minReplicas int = 1

@description('Optional. Maximum replicas; more replicas than partitions would sit idle (the caller caps it at the partition count).')
@minValue(1)
@maxValue(32)
param maxReplicas int = 4

@description('Required. Short (not fully qualified) Event Hubs namespace name for the KEDA scaler.')
param eventHubsNamespaceName string

@description('Required. Name of the hub the worker consumes.')
param eventHubName string

@description('Required. Consumer group of the worker.')
param consumerGroupName string

@description('Required. Storage account holding the checkpoints.')
param storageAccountName string

@description('Required. Blob container holding the checkpoints.')
param checkpointContainerName string

@description('Optional. Target unprocessed events per replica (KEDA unprocessedEventThreshold).')
@minValue(1)
param unprocessedEventThreshold int = 64

@description('Optional. Total unprocessed events above which the scaler counts as active (KEDA activationUnprocessedEventThreshold).')
@minValue(0)
param activationUnprocessedEventThreshold int = 0

@description('Optional. Seconds between KEDA polls.')
@minValue(5)
@maxValue(600)
param pollingIntervalSeconds int = 30

@description('Optional. Seconds KEDA waits after the last active poll before scaling in.')
@minValue(60)
@maxValue(3600)
param cooldownPeriodSeconds int = 300

resource app 'Microsoft.App/containerApps@2025-07-01' = {
  name: toLower(name)
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    environmentId: environmentResourceId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      maxInactiveRevisions: 5
      registries: empty(registryServer)
        ? []
        : [
            {
              server: registryServer
              identity: identityResourceId
            }
          ]
      secrets: [
        for secret in keyVaultSecretReferences: {
          name: secret.name
          keyVaultUrl: '${keyVaultUri}secrets/${secret.secretName}'
          identity: identityResourceId
        }
      ]
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: 'worker'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: env
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: livenessPath
                port: healthPort
                scheme: 'HTTP'
              }
              initialDelaySeconds: 5
              periodSeconds: 5
              failureThreshold: 10
              timeoutSeconds: 3
            }
            {
              type: 'Liveness'
              httpGet: {
                path: livenessPath
                port: healthPort
                scheme: 'HTTP'
              }
              periodSeconds: 15
              failureThreshold: 4
              timeoutSeconds: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: readinessPath
                port: healthPort
                scheme: 'HTTP'
              }
              periodSeconds: 10
              failureThreshold: 3
              timeoutSeconds: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: min(minReplicas, maxReplicas)
        maxReplicas: maxReplicas
        pollingInterval: pollingIntervalSeconds
        cooldownPeriod: cooldownPeriodSeconds
        rules: [
          {
            name: 'eventhub-unprocessed-events'
            custom: {
              type: 'azure-eventhub'
              // Identity auth (API 2025-01-01+): no connection strings anywhere.
              identity: identityResourceId
              // KEDA looks keys up case-sensitively and ACA wants every value as a string. Names are lower-cased
              // because the JS checkpoint store lower-cases namespace, hub and consumer group in blob paths and KEDA
              // only lower-cases the consumer group: any capital letter means BlobNotFound and a full overscale.
              metadata: {
                eventHubNamespace: toLower(eventHubsNamespaceName)
                eventHubName: toLower(eventHubName)
                consumerGroup: toLower(consumerGroupName)
                storageAccountName: toLower(storageAccountName)
                blobContainer: toLower(checkpointContainerName)
                checkpointStrategy: 'blobMetadata'
                unprocessedEventThreshold: string(unprocessedEventThreshold)
                activationUnprocessedEventThreshold: string(activationUnprocessedEventThreshold)
              }
            }
          }
        ]
      }
    }
  }
}

@description('The name of the container app.')
output name string = app.name

@description('The resource id of the container app.')
output resourceId string = app.id

@description('The name of the latest revision.')
output latestRevisionName string = app.properties.latestRevisionName
