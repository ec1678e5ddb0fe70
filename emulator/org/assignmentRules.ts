/**
 * Lead and Case assignment rules and the queues they assign to, as Setup data: `Group` (Type
 * 'Queue', prefix 00G) and `AssignmentRule` (prefix 01Q) are queryable with SOQL but not
 * writable; `QueueSobject` (prefix 03g) says which objects each queue supports. One active and
 * one inactive rule per object; an inactive rule still runs when a
 * request names it by Id (Salesforce: "The assignment rule can be active or inactive").
 *
 * REST `Sforce-Auto-Assign`: TRUE (also when absent) runs the object's active rule, FALSE runs
 * none, an AssignmentRule Id runs that rule. Bulk API 2.0: only the job's `assignmentRuleId`.
 */
import { httpError } from '../errors';
import { isValidId, makeId, to18 } from '../ids';
import { f, obj, type EmuObject } from '../schema';
import type { Rec } from '../store';

export type AutoAssign = { kind: 'active' } | { kind: 'none' } | { kind: 'rule'; id: string };

const ro = { createable: false, updateable: false } as const;
const SETUP_DATE = '2024-01-02T09:00:00.000+0000';

const GROUP = obj('Group', 'Group', 'Groups', '00G', [
	f.string('Name', 'Name', 40, { ...ro, nameField: true }),
	f.string('DeveloperName', 'Developer Name', 80, ro),
	f.picklist('Type', 'Type', ['Regular', 'Role', 'Queue'], ro),
	f.email('Email', 'Email', ro),
]);

const ASSIGNMENT_RULE = obj('AssignmentRule', 'Assignment Rule', 'Assignment Rules', '01Q', [
	f.string('Name', 'Name', 120, { ...ro, nameField: true }),
	f.picklist('SobjectType', 'Object', ['Case', 'Lead'], ro),
	f.boolean('Active', 'Active', ro),
]);

/** Which objects a queue may own (a queue owns only records of the objects it supports). */
const QUEUE_SOBJECT = obj('QueueSobject', 'Queue Sobject', 'Queue Sobjects', '03g', [
	f.reference('QueueId', 'Group ID', 'Group', 'Queue', ro),
	f.string('SobjectType', 'Sobject Type', 40, ro),
]);

const queue = (n: number, name: string, developerName: string): Rec => ({
	Id: makeId('00G', n),
	Name: name,
	DeveloperName: developerName,
	Type: 'Queue',
	Email: null,
});

const QUEUES = {
	leadTriage: queue(1, 'Lead Triage', 'Lead_Triage'),
	partnerLeads: queue(2, 'Partner Leads', 'Partner_Leads'),
	feedbackFollowUp: queue(3, 'Feedback Follow-up', 'Feedback_Follow_up'),
	escalations: queue(4, 'Escalations', 'Escalations'),
};

const QUEUE_OBJECTS: Rec[] = [
	[QUEUES.leadTriage, 'Lead'],
	[QUEUES.partnerLeads, 'Lead'],
	[QUEUES.feedbackFollowUp, 'Case'],
	[QUEUES.escalations, 'Case'],
].map(([q, type], n) => ({
	Id: makeId('03g', n + 1),
	QueueId: String((q as Rec).Id),
	SobjectType: type,
}));

const rule = (n: number, name: string, sobjectType: string, active: boolean, q: Rec) => ({
	row: { Id: makeId('01Q', n), Name: name, SobjectType: sobjectType, Active: active } as Rec,
	queueId: String(q.Id),
});

const ASSIGNMENT_RULES = [
	rule(1, 'Lead Triage Assignment', 'Lead', true, QUEUES.leadTriage),
	rule(2, 'Partner Lead Assignment', 'Lead', false, QUEUES.partnerLeads),
	rule(3, 'Feedback Case Assignment', 'Case', true, QUEUES.feedbackFollowUp),
	rule(4, 'Escalation Case Assignment', 'Case', false, QUEUES.escalations),
];

/** A setup row with the audit fields every record has. */
export const setupAudit = (r: Rec): Rec => ({
	...r,
	IsDeleted: false,
	CreatedDate: SETUP_DATE,
	LastModifiedDate: SETUP_DATE,
	SystemModstamp: SETUP_DATE,
});

/** Setup objects SOQL knows besides the schema (`Group`, `QueueSobject`, `AssignmentRule`). */
export function setupObject(name: string): EmuObject | undefined {
	const n = name.toLowerCase();
	return [GROUP, ASSIGNMENT_RULE, QUEUE_SOBJECT].find((o) => o.name.toLowerCase() === n);
}

/** The rows of a setup object (none in a blank org), or undefined for a schema object. */
export function setupRows(name: string, assignmentRules: boolean): Rec[] | undefined {
	if (name === GROUP.name) return assignmentRules ? Object.values(QUEUES).map(setupAudit) : [];
	if (name === QUEUE_SOBJECT.name) return assignmentRules ? QUEUE_OBJECTS.map(setupAudit) : [];
	if (name === ASSIGNMENT_RULE.name)
		return assignmentRules ? ASSIGNMENT_RULES.map((r) => setupAudit(r.row)) : [];
	return undefined;
}

/** A queue Id of the org (valid OwnerId besides the users). */
export const isQueueId = (id: string): boolean =>
	Object.values(QUEUES).some((q) => q.Id === to18(id));

/** `Sforce-Auto-Assign`: TRUE | FALSE (any case) | an AssignmentRule Id; absent = TRUE. */
export function autoAssignHeader(v: string | string[] | undefined): AutoAssign {
	const s = (Array.isArray(v) ? v[0] : v)?.trim();
	if (s === undefined || s === '' || s.toLowerCase() === 'true') return { kind: 'active' };
	if (s.toLowerCase() === 'false') return { kind: 'none' };
	if (!isValidId(s)) throw httpError(400, 'MALFORMED_ID', `Invalid assignment rule id: ${s}`);
	return { kind: 'rule', id: to18(s) };
}

/** Sets `rec.OwnerId` to the queue of the rule that runs (Leads and Cases only). */
export function applyAssignment(o: EmuObject, rec: Rec, assign: AutoAssign): void {
	if (assign.kind === 'none') return;
	const r = ASSIGNMENT_RULES.find(
		(x) =>
			x.row.SobjectType === o.name &&
			(assign.kind === 'rule' ? x.row.Id === assign.id : x.row.Active === true),
	);
	if (r) rec.OwnerId = r.queueId;
}
