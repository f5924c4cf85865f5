// Example parameters. Copy to e.g. prod.bicepparam, fill in the Required values, then:
//   az deployment group create -g <resource-group> -f bicep/main.bicep -p bicep/prod.bicepparam
using 'main.bicep'

// Required: short workload name used in resource names.
param name = 'graph-dlp'

// Required: the image you pushed (pin a tag or digest, never latest).
param containerImage = 'myregistry.azurecr.io/graph-dlp:0.1.0'

// Optional: pull with the worker identity from this registry (AcrPull is granted on it).
param containerRegistryName = 'myregistry'

// Required: primary domain of the tenant that holds the Event Hubs namespace.
param tenantDomain = 'contoso.com'

// Required: az ad sp show --id 0bf30f3b-4a52-48df-9a82-234910c4a086 --query id -o tsv
param graphChangeTrackingPrincipalId = '00000000-0000-0000-0000-000000000000'

// Optional: app registration that owns the subscriptions; its client secret lives in Key Vault under this name.
// Leave both empty to call Graph with the worker's managed identity.
param graphClientId = ''
param graphClientSecretName = ''

// Optional: you (or a group) for `graph-dlp keys create`, `checkpoints reset` and `deadletter redrive`.
param operatorPrincipalId = ''
param operatorPrincipalType = 'User'

param partitionCount = 4
param minReplicas = 1
param maxReplicas = 4
param keySource = 'keyvault'
param paymentModel = 'A'
param sinks = 'eventhubs,blob'
param tags = {
  workload: 'graph-dlp'
}
