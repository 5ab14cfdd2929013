// Calls one connectors method of the published @base44/sdk, unmodified, and prints the outcome as one JSON line.
// Usage: node sdk-call.mjs <method> <argument>
// Environment: BASE44_SDK_ENTRY (the SDK's dist/index.js), SERVER_URL, APP_ID, SERVICE_TOKEN?, USER_TOKEN?
import { pathToFileURL } from 'node:url';

const { createClient } = await import(pathToFileURL(process.env.BASE44_SDK_ENTRY).href);
const client = createClient({
  serverUrl: process.env.SERVER_URL,
  appId: process.env.APP_ID,
  serviceToken: process.env.SERVICE_TOKEN || undefined,
  token: process.env.USER_TOKEN || undefined,
});

const [method, argument] = process.argv.slice(2);
const calls = {
  getConnection: (a) => client.asServiceRole.connectors.getConnection(a),
  getAccessToken: (a) => client.asServiceRole.connectors.getAccessToken(a),
  getWorkspaceConnection: (a) => client.asServiceRole.connectors.getWorkspaceConnection(a),
  getCurrentAppUserConnection: (a) => client.asServiceRole.connectors.getCurrentAppUserConnection(a),
  getCurrentAppUserAccessToken: (a) => client.asServiceRole.connectors.getCurrentAppUserAccessToken(a),
  connectAppUser: (a) => client.connectors.connectAppUser(a),
  disconnectAppUser: (a) => client.connectors.disconnectAppUser(a),
  // argument: {"type": "...", "request": {...}}
  callApi: (a) => { const { type, request } = JSON.parse(a); return client.asServiceRole.connectors.callApi(type, request); },
};

let outcome;
try {
  const result = await calls[method](argument);
  outcome = { ok: true, result: result === undefined ? null : result };
} catch (error) {
  outcome = { ok: false, name: error.name, message: error.message, status: error.status ?? null,
    code: error.code ?? null };
}
process.stdout.write(JSON.stringify(outcome) + '\n');
process.exit(0);
