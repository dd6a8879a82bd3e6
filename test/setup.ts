// n8n-core's SSH tunnel manager starts a one-minute cleanup interval the first time a node context
// is built and stops it only on n8n's shutdown; stop it here so jest can exit when the tests end.
import { Container } from '@n8n/di';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

afterAll(() => {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
});
