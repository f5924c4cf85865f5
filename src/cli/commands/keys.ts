/**
 * `graph-dlp keys create|list|rotate|current`: notification encryption certificates in the configured key
 * source (local folder or Azure Key Vault). Prints what a Graph subscription needs: `encryptionCertificate`
 * (base64 DER) and `encryptionCertificateId`.
 */

import { configSection, loadConfig } from '../../config/index.js';
import { coreOptions } from '../../config/options/core.js';
import { keysOptions } from '../../config/options/keys.js';
import {
  createKeyring,
  createKeySource,
  type KeyringCertificate,
  type KeysConfig,
  keyBitsOf,
} from '../../crypto/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeLine } from '../command.js';

const usage = `Usage: graph-dlp keys <create|list|rotate|current> [options]

Notification encryption certificates (Graph encrypts each notification's data key with our certificate's
public key; graph-dlp decrypts with the private key).

  create    Make a self-signed X.509 certificate (RSA) in the key source if it has none, and print it.
            With --force, always make a new one (it becomes current, like rotate).
  rotate    Make a new certificate and make it current. Previous certificates keep decrypting until unused
            for GDLP_KEY_RETIRE_AFTER_MS. Existing subscriptions switch at their next renewal.
  list      Show every certificate: id, thumbprint, validity, which is current, where the key lives.
  current   Print the current certificate (what new subscriptions use).

Printed for create/rotate/current:
  encryptionCertificateId: <id>            -> subscription.encryptionCertificateId
  encryptionCertificate: <base64 DER>      -> subscription.encryptionCertificate

Options (flags win over the environment variables in brackets):
  --source S            folder | keyvault | keyvault-remote (default folder) [GDLP_KEY_SOURCE]
  --folder DIR          key folder for --source folder (default ./.local-stack/keys) [GDLP_KEY_FOLDER]
  --vault-url URL       Key Vault URL, e.g. https://my-vault.vault.azure.net [GDLP_KEYVAULT_URL]
  --certificate-name N  Key Vault certificate name (default graph-dlp-notifications) [GDLP_KEYVAULT_CERTIFICATE_NAME]
  --bits N              RSA key size in bits: 2048 | 3072 | 4096 (default 2048) [GDLP_KEY_BITS]
  --validity-days N     certificate validity in days (default 365; Key Vault rounds to months)
  --force               create: make a new certificate even if one exists
  --json                print JSON instead of text
  -h, --help            Show this help

Key Vault: credentials come from @azure/identity DefaultAzureCredential (managed identity on Azure;
AZURE_CLIENT_ID selects a user-assigned one). Creating needs the Key Vault Certificates Officer role.
keyvault-remote creates a non-exportable key: it never leaves the vault.`;

function certificateLines(cert: KeyringCertificate): string[] {
  return [
    `encryptionCertificateId: ${cert.id}`,
    `encryptionCertificate: ${cert.certificate}`,
    `thumbprint: ${cert.thumbprint}`,
    `notBefore: ${cert.notBefore.toISOString()}`,
    `notAfter: ${cert.notAfter.toISOString()}`,
  ];
}

function certificateJson(cert: KeyringCertificate): Record<string, unknown> {
  return {
    encryptionCertificateId: cert.id,
    encryptionCertificate: cert.certificate,
    thumbprint: cert.thumbprint,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      source: { type: 'string' },
      folder: { type: 'string' },
      'vault-url': { type: 'string' },
      'certificate-name': { type: 'string' },
      bits: { type: 'string' },
      'validity-days': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    true,
  );
  if (values.help) {
    writeLine(io.stdout, usage);
    return 0;
  }
  const sub = positionals[0];
  if (!sub || !['create', 'list', 'rotate', 'current'].includes(sub))
    throw new UsageError(sub ? `unknown subcommand '${sub}'` : 'name a subcommand');
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  let validityDays: number | undefined;
  if (values['validity-days'] !== undefined) {
    validityDays = Number(values['validity-days']);
    if (!Number.isInteger(validityDays) || validityDays < 1 || validityDays > 3650)
      throw new UsageError('--validity-days must be a whole number of days from 1 to 3650');
  }
  const overrides: Record<string, unknown> = {};
  if (values.source !== undefined) overrides['keys.source'] = values.source;
  if (values.folder !== undefined) overrides['keys.folder'] = values.folder;
  if (values['vault-url'] !== undefined) overrides['keys.keyVaultUrl'] = values['vault-url'];
  if (values['certificate-name'] !== undefined)
    overrides['keys.certificateName'] = values['certificate-name'];
  if (values.bits !== undefined) overrides['keys.keyBits'] = values.bits;
  // Only the options this command uses: unrelated areas' settings must not block key management.
  const config = configSection<KeysConfig>(
    loadConfig({ options: [...coreOptions, ...keysOptions], overrides }),
    'keys',
  );
  const source = createKeySource(config);
  const keyring = await createKeyring({
    source,
    watch: false,
    reloadIntervalMs: 0,
    ...(config.retireAfterMs !== undefined ? { retireAfterMs: config.retireAfterMs } : {}),
  });
  try {
    const createOptions = { keyBits: keyBitsOf(config), ...(validityDays ? { validityDays } : {}) };
    if (sub === 'list') {
      const entries = keyring.list();
      if (values.json) {
        writeLine(
          io.stdout,
          JSON.stringify(
            entries.map((e) => ({
              ...certificateJson(e),
              current: e.current,
              mode: e.mode,
              location: e.location,
              expired: e.notAfter.getTime() < Date.now(),
            })),
          ),
        );
        return 0;
      }
      if (entries.length === 0) {
        writeLine(
          io.stderr,
          `no certificates in ${source.description}; create one with \`graph-dlp keys create\``,
        );
        return 0;
      }
      const idWidth = Math.max(26, ...entries.map((e) => e.id.length)) + 2;
      writeLine(
        io.stdout,
        `${'CURRENT'.padEnd(9)}${'ENCRYPTION CERTIFICATE ID'.padEnd(idWidth)}${'THUMBPRINT (SHA-1)'.padEnd(42)}${'NOT AFTER'.padEnd(32)}KEY`,
      );
      for (const e of entries) {
        const notAfter = `${e.notAfter.toISOString().slice(0, 19)}Z${e.notAfter.getTime() < Date.now() ? ' (expired)' : ''}`;
        writeLine(
          io.stdout,
          `${(e.current ? '*' : '').padEnd(9)}${e.id.padEnd(idWidth)}${e.thumbprint.padEnd(42)}${notAfter.padEnd(32)}${e.mode} ${e.location}`,
        );
      }
      writeLine(io.stderr, `${entries.length} certificate(s) in ${source.description}`);
      return 0;
    }
    let cert: KeyringCertificate;
    if (sub === 'current') cert = keyring.current();
    else if (sub === 'create' && !values.force && keyring.list().some((e) => e.current)) {
      cert = keyring.current();
      writeLine(
        io.stderr,
        `a current certificate already exists in ${source.description}; printing it (use \`keys rotate\` or --force for a new one)`,
      );
    } else {
      writeLine(
        io.stderr,
        `creating an RSA-${createOptions.keyBits} self-signed certificate in ${source.description}…`,
      );
      cert = await keyring.rotate(createOptions);
      if (sub === 'rotate') {
        writeLine(
          io.stderr,
          'rotated: new subscriptions use this certificate; existing ones switch at renewal; previous certificates keep decrypting until retired.',
        );
      }
    }
    writeLine(
      io.stdout,
      values.json ? JSON.stringify(certificateJson(cert)) : certificateLines(cert).join('\n'),
    );
    return 0;
  } finally {
    await keyring.close();
  }
}

export const command: CliCommand = {
  summary: 'Notification encryption certificates: `keys create|list|rotate|current`',
  usage,
  run,
};
