/**
 * The org's records a workflow names instead of their Ids (the Ids differ between a sandbox and
 * production): users by Username, queues by API name (Group DeveloperName; the label is accepted
 * too) and the objects each queue supports (QueueSobject), campaigns by Name. Read with SOQL.
 */
import { soqlString } from '../plan/soql';
import { queryRows } from './query';
import type { SalesforceApi } from './types';

export interface UserRow {
	Id: string;
	Username: string;
	Name?: string;
	IsActive: boolean;
}

export interface QueueRow {
	Id: string;
	Name: string;
	DeveloperName: string;
}

export interface CampaignRow {
	Id: string;
	Name: string;
	IsActive: boolean;
}

/** The user with this username (active or not), if any. */
export async function findUser(api: SalesforceApi, username: string): Promise<UserRow | undefined> {
	const rows = await queryRows<UserRow>(
		api,
		`SELECT Id, Username, Name, IsActive FROM User WHERE Username = ${soqlString(username)}`,
	);
	return rows[0];
}

/** The queue with this API name (or, failing that, this label), if any. */
export async function findQueue(api: SalesforceApi, name: string): Promise<QueueRow | undefined> {
	const rows = await queryRows<QueueRow>(
		api,
		`SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue' AND (DeveloperName = ${soqlString(name)} OR Name = ${soqlString(name)})`,
	);
	const wanted = name.toLowerCase();
	return rows.find((r) => r.DeveloperName.toLowerCase() === wanted) ?? rows[0];
}

/** The objects a queue may own records of (lower case). */
export async function queueObjects(api: SalesforceApi, queueId: string): Promise<Set<string>> {
	const rows = await queryRows<{ SobjectType: string }>(
		api,
		`SELECT SobjectType FROM QueueSobject WHERE QueueId = ${soqlString(queueId)}`,
	);
	return new Set(rows.map((r) => r.SobjectType.toLowerCase()));
}

/** Active users, by username (the Owner dropdown). */
export async function listActiveUsers(api: SalesforceApi): Promise<UserRow[]> {
	return await queryRows<UserRow>(
		api,
		'SELECT Id, Username, Name, IsActive FROM User WHERE IsActive = true ORDER BY Username',
	);
}

/** The queues that support `object` (the Owner dropdown). */
export async function listQueues(api: SalesforceApi, object: string): Promise<QueueRow[]> {
	const [queues, supports] = await Promise.all([
		queryRows<QueueRow>(
			api,
			"SELECT Id, Name, DeveloperName FROM Group WHERE Type = 'Queue' ORDER BY Name",
		),
		queryRows<{ QueueId: string }>(
			api,
			`SELECT QueueId FROM QueueSobject WHERE SobjectType = ${soqlString(object)}`,
		),
	]);
	const ids = new Set(supports.map((s) => s.QueueId));
	return queues.filter((q) => ids.has(q.Id));
}

/** The campaign with this name, if any. */
export async function findCampaign(
	api: SalesforceApi,
	name: string,
): Promise<CampaignRow | undefined> {
	const rows = await queryRows<CampaignRow>(
		api,
		`SELECT Id, Name, IsActive FROM Campaign WHERE Name = ${soqlString(name)}`,
	);
	return rows[0];
}

/** Active campaigns, by name (the Campaign dropdown). */
export async function listActiveCampaigns(api: SalesforceApi): Promise<CampaignRow[]> {
	return await queryRows<CampaignRow>(
		api,
		'SELECT Id, Name, IsActive FROM Campaign WHERE IsActive = true ORDER BY Name',
	);
}
