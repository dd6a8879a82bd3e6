// GET .../whatsapp/phone-numbers: the account's sender numbers, in pages.
import type { Context } from '../context';
import type { ApiRequest, ApiResponse } from '../http';
import { pageOf, parsePaging } from '../paging';
import { route, type Route } from '../router';

export const phoneNumberRoutes: Array<Route<Context>> = [
	route('GET', '/api/message-server/whatsapp/phone-numbers', list),
];

function list(ctx: Context, req: ApiRequest): ApiResponse {
	return { status: 200, body: { phoneNumbers: pageOf(ctx.state.phoneNumbers, parsePaging(req.query)) } };
}
