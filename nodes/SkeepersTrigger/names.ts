// The names the trigger looks fields up under: camelCase, snake_case, French, and the keys the
// webhook formats in docs/trigger-payloads.md use. Order matters: the first name found wins.

export const NAMES = {
	eventType: ['eventType', 'event', 'type', 'eventName', 'topic', 'trigger', 'action'],
	eventId: [
		'eventId', 'id', 'uuid', 'deliveryId', 'notificationId', 'responseId', 'submissionId',
		'answerId', 'messageId',
	],
	occurredAt: [
		'createdAt', 'occurredAt', 'timestamp', 'submittedAt', 'answeredAt', 'completedAt',
		'sentAt', 'date', 'datetime', 'dateReponse', 'date_de_reponse', 'event_datetime',
		'CompletedDate',
	],
	campaign: ['campaign', 'campagne', 'survey', 'questionnaire', 'form', 'enquete', 'definition'],
	campaignId: ['campaignId', 'campagneId', 'surveyId', 'questionnaireId', 'formId'],
	campaignName: [
		'campaignName', 'campagneName', 'nomCampagne', 'surveyName', 'surveyTitle', 'formTitle',
	],
	objectId: ['id', 'uuid', 'code', 'key', 'identifiant'],
	objectName: ['name', 'title', 'label', 'nom', 'libelle', 'titre'],
	respondent: [
		'respondent', 'repondant', 'contact', 'customer', 'client', 'participant', 'panelist',
		'user', 'person', 'personne', 'individual', 'author', 'submitter', 'end_user', 'visitor',
		'profile', 'member', 'recipient',
	],
	respondentId: [
		'respondentId', 'repondantId', 'contactId', 'customerId', 'clientId', 'externalId',
		'userId', 'uid', 'respondentUuid', 'end_user_id', 'authorId', 'RecipientID',
	],
	email: [
		'email', 'emailAddress', 'mail', 'courriel', 'adresseEmail', 'respondentEmail',
		'authorEmail', 'customerEmail', 'userEmail', 'contactEmail', 'RecipientEmail',
	],
	phone: [
		'phone', 'phoneNumber', 'mobile', 'mobilePhone', 'telephone', 'tel', 'portable',
		'numeroTelephone', 'respondentPhone', 'authorPhone', 'customerPhone', 'contactPhone',
		'phone_number_e164',
	],
	firstName: [
		'firstName', 'prenom', 'givenName', 'respondentFirstName', 'authorFirstName',
		'customerFirstName', 'contactFirstName', 'RecipientFirstName',
	],
	lastName: [
		'lastName', 'nom', 'nomDeFamille', 'familyName', 'surname', 'respondentLastName',
		'authorLastName', 'customerLastName', 'contactLastName', 'RecipientLastName',
	],
	attributes: [
		'attributes', 'attributs', 'customAttributes', 'custom_fields', 'properties', 'proprietes',
		'variables', 'metadata', 'extra', 'traits', 'hidden', 'person_properties',
		'customProperties', 'user_properties', 'end_user_properties', 'embeddedData',
	],
	labels: ['labels', 'label', 'tags', 'tag', 'etiquettes', 'etiquette'],
	flags: ['flags', 'flag', 'drapeaux', 'marqueurs'],
	answers: [
		'answers', 'answer', 'reponses', 'responses', 'questions', 'results', 'resultats', 'fields',
		'additional_answers', 'answer_values',
	],
	questionId: ['questionId', 'id', 'code', 'key', 'questionCode', 'name'],
	questionText: [
		'question', 'questionLabel', 'questionText', 'label', 'title', 'text', 'libelle',
		'intitule',
	],
	questionType: ['type', 'questionType', 'kind', 'format'],
	answerValue: [
		'value', 'answer', 'reponse', 'response', 'score', 'note', 'rating', 'choice', 'choices',
		'choix', 'valeur', 'values', 'comment', 'text',
	],
	/** Inside a value object (`{ "label": … }`, Delighted's `{ "free_response": … }`): the scalar. */
	innerValue: [
		'value', 'label', 'labels', 'text', 'body', 'free_response', 'scale', 'select_one',
		'select_many', 'number', 'score', 'answer', 'valeur',
	],
	npsDirect: [
		'nps', 'npsScore', 'npsValue', 'recommendationScore', 'noteRecommandation', 'score',
	],
	npsCategory: ['npsCategory', 'npsSegment', 'categorieNps', 'segment'],
} as const;

/** Keys whose object value wraps the event (envelopes), searched after the event's own fields. */
export const ENVELOPES = [
	'data',
	'event_data',
	'eventData',
	'payload',
	'form_response',
	'formResponse',
	'event',
	'object',
	'resource',
	'resources',
	'body',
	'record',
	'donnees',
	'_embedded',
] as const;

/** Full-name keys of a person object, split into first and last name when those are absent. */
export const PERSON_FULL_NAME = ['name', 'fullName', 'nomComplet'] as const;

/** Full-name keys next to the event's fields, named after the author / customer / contact. */
export const FLAT_FULL_NAME = [
	'fullName', 'respondentName', 'authorName', 'customerName', 'contactName', 'nomComplet',
] as const;

/** Direct free-text comment keys. */
export const COMMENT = ['comment', 'commentaire', 'verbatim', 'feedback', 'remarque'] as const;
