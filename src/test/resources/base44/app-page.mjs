// An app's own page using the published @base44/sdk in the browser, as an app's frontend does: the end user connects
// and disconnects their own account. The page's settings come from /config.js (window.APP_CONFIG).
import { createClient } from '@base44/sdk';

const config = window.APP_CONFIG;
const base44 = createClient({ serverUrl: config.serverUrl, appId: config.appId, token: config.userToken });

const show = (id, text) => { document.getElementById(id).textContent = text; };
const failed = (error) => show('error', `${error.name}: ${error.message}`);
const params = new URLSearchParams(window.location.search);
show('status', params.get('status') ?? 'none');
show('returned-connector', params.get('connector_id') ?? '');

document.getElementById('connect').addEventListener('click', async () => {
  try {
    const url = await base44.connectors.connectAppUser(config.connectorId);
    window.location.href = url;
  } catch (error) {
    failed(error);
  }
});

document.getElementById('disconnect').addEventListener('click', async () => {
  try {
    await base44.connectors.disconnectAppUser(config.connectorId);
    show('disconnected', 'disconnected');
  } catch (error) {
    failed(error);
  }
});
