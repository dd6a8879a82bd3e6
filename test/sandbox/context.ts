// What an API route handler can reach: the account, the current switches and the delivery machinery.
import type { Delivery } from './delivery';
import type { ApiRequest, ApiResponse } from './http';
import type { ResolvedConfig } from './options';
import type { SandboxState } from './state';
import type { TemplateReview } from './template-review';

export interface Context {
	state: SandboxState;
	config(): ResolvedConfig;
	now(): number;
	delivery: Delivery;
	review: TemplateReview;
}

export type Handler<C = Context> = (ctx: C, req: ApiRequest) => ApiResponse | Promise<ApiResponse>;
