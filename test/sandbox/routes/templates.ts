// Template CRUD (.../whatsapp/templates): the guide's create body in, the list shape out.
import type { Context } from '../context';
import { ApiError, badRequest, jsonObject, notFound, type ApiRequest, type ApiResponse } from '../http';
import { pageOf, parsePaging } from '../paging';
import { route, type Route } from '../router';
import { componentsOf, fieldsOf, parseTemplateFields } from '../templates';
import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES, type Template } from '../types';

const BASE = '/api/message-server/whatsapp/templates';

export const templateRoutes: Array<Route<Context>> = [
	route('GET', BASE, list),
	route('POST', BASE, create),
	route('GET', `${BASE}/:id`, get),
	route('PUT', `${BASE}/:id`, update),
	route('DELETE', `${BASE}/:id`, remove),
];

function list(ctx: Context, req: ApiRequest): ApiResponse {
	const { status, name, category, phoneNumberId } = req.query;
	const language = req.query.language ?? req.query.lang;
	if (status !== undefined && !TEMPLATE_STATUSES.includes(status as never)) {
		throw badRequest('status', `status must be one of ${TEMPLATE_STATUSES.join(', ')}; got '${status}'.`);
	}
	if (category !== undefined && !TEMPLATE_CATEGORIES.includes(category as never)) {
		throw badRequest('category', `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}; got '${category}'.`);
	}
	checkPhoneNumberId(ctx, phoneNumberId);
	const matching = ctx.state.templates.filter(
		(t) =>
			(status === undefined || t.status === status) &&
			(name === undefined || t.name === name) &&
			(language === undefined || t.language === language) &&
			(category === undefined || t.category === category),
	);
	return { status: 200, body: { data: pageOf(matching, parsePaging(req.query)) } };
}

function create(ctx: Context, req: ApiRequest): ApiResponse {
	checkPhoneNumberId(ctx, req.query.phoneNumberId);
	const fields = parseTemplateFields(jsonObject(req));
	const existing = ctx.state.templateByName(fields.name, fields.lang);
	if (existing) {
		throw new ApiError(
			409,
			`Template '${fields.name}' already exists in language '${fields.lang}' (id ${existing.id}); update it with PUT ${BASE}/${existing.id}.`,
		);
	}
	const template = ctx.state.addTemplate({
		name: fields.name,
		language: fields.lang,
		category: fields.category,
		status: 'PENDING',
		components: componentsOf(fields),
	});
	return { status: 201, body: ctx.review.submit(template) };
}

function get(ctx: Context, req: ApiRequest): ApiResponse {
	return { status: 200, body: find(ctx, req.params.id) };
}

/** An edit, even of an APPROVED template, needs a new approval (seed), so it goes back to PENDING. */
function update(ctx: Context, req: ApiRequest): ApiResponse {
	const template = find(ctx, req.params.id);
	const fields = parseTemplateFields(jsonObject(req), fieldsOf(template));
	template.category = fields.category;
	template.components = componentsOf(fields);
	return { status: 200, body: ctx.review.submit(template) };
}

function remove(ctx: Context, req: ApiRequest): ApiResponse {
	ctx.state.removeTemplate(find(ctx, req.params.id));
	return { status: 204 };
}

function find(ctx: Context, id: string): Template {
	const template = ctx.state.template(id);
	if (!template) throw notFound(`Template ${id} does not exist; list templates with GET ${BASE}.`);
	return template;
}

/** The guide scopes template calls with ?phoneNumberId=; optional, but it must be a known number. */
function checkPhoneNumberId(ctx: Context, phoneNumberId: string | undefined): void {
	if (phoneNumberId !== undefined && !ctx.state.phoneNumber(phoneNumberId)) {
		throw badRequest('phoneNumberId', `phoneNumberId '${phoneNumberId}' is not one of this account's WhatsApp numbers.`);
	}
}
