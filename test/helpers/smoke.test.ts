import { runNode } from './n8n';

it('runs the Qlara node inside n8n-core', async () => {
	const { outputs, error } = await runNode({ parameters: { resource: 'message' } }, [{ a: 1 }, { a: 2 }]);
	expect(error).toBeUndefined();
	expect(outputs[0].map((i) => i.json)).toEqual([{ a: 1 }, { a: 2 }]);
});
