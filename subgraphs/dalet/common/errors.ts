/**
 * The errors of the doc's Errors section, each with the message and resource fields of its example. The
 * codes and classifications are the kit's catalog (core/errors.ts); this file only words them.
 */
import { daletError } from '../../../core/errors.ts';

/** The doc's enums of the Errors section, whole, so that every section words its errors from one list. */
export type ResourceType =
  | 'DATA_FIELD'
  | 'DATA_FIELD_TYPE'
  | 'DATA_FIELD_TYPE_KIND'
  | 'TABLE_DATA_FIELD_ROW'
  | 'LOCATOR'
  | 'LOCATOR_SUB_TYPE'
  | 'LOCATOR_INHERITANCE'
  | 'LOCATOR_TYPE'
  | 'LOCATOR_FAMILY'
  | 'LANGUAGE'
  | 'ASSET'
  | 'ASSET_TYPE'
  | 'ASSET_STATUS'
  | 'CG_TO_VIDEO_ASSOCIATION'
  | 'SUBTITLES_TO_VIDEO_ASSOCIATION'
  | 'DIVA_MEDIA_TYPE'
  | 'MEDIA_INFO'
  | 'MEDIA_INFO_TYPE'
  | 'MEDIA_PROCESS_STATUS'
  | 'MEDIA_TYPE'
  | 'REUSE_ACTION'
  | 'MEDIA_RESOURCE'
  | 'MEDIA_RESOURCE_TYPE'
  | 'CG_TYPE'
  | 'MEDIA_FORMAT'
  | 'OBJECT_TYPE'
  | 'SOCIAL_MEDIA_ACCOUNT'
  | 'SOLR_INDEX'
  | 'SOLR_INDEX_STATUS'
  | 'SOLR_DATA_FIELD_BASE_TYPE'
  | 'SOLR_DATA_FIELD_TYPE'
  | 'SOLR_VERSION'
  | 'LENGTH_RANGE_UNIT'
  | 'STUDIO'
  | 'STUDIO_TYPE'
  | 'STUDIO_CHANNEL'
  | 'STUDIO_CHANNEL_TYPE'
  | 'ENCRYPTION'
  | 'AUTHENTICATION_MODE'
  | 'STORAGE_UNIT'
  | 'STORAGE_UNIT_PROTOCOL'
  | 'STORAGE_UNIT_DOMAIN'
  | 'AMAZON_S3_STORAGE_CLASS'
  | 'TEMPLATE_TRACK_TYPE'
  | 'USER_TASK_PRIORITY'
  | 'SOLR_DATA_FIELD_USAGE'
  | 'USER'
  | 'USER_GROUP'
  | 'GROUP_ITEM'
  | 'GROUP'
  | 'CATEGORY'
  | 'FOLDER'
  | 'NOTIFICATION_TYPE'
  | 'CONTACT'
  | 'GLOSSARY_VALUE'
  | 'PLANNING_EVENT'
  | 'PLAYOUT'
  | 'RECORDING_JOB'
  | 'RUNDOWN'
  | 'WEBLINK'
  | 'WORKFLOW_INSTANCE'
  | 'UNKNOWN';
export type SelectorType = 'ID' | 'LOGIN' | 'NAME' | 'TYPE' | 'TAG_NAME' | 'ABBREVIATION';
export type OperationType = 'CREATE' | 'READ' | 'UPDATE' | 'DELETE';
export type InvalidInputReason =
  | 'TOO_SHORT'
  | 'WRONG_FORMAT'
  | 'NEGATIVE'
  | 'TOO_LONG'
  | 'FORBIDDEN_CHARACTERS'
  | 'MULTIPLE_VALUES'
  | 'EMPTY_OR_NULL'
  | 'WRONG_TYPE'
  | 'UNSUPPORTED_NOTIFICATION_TYPE'
  | 'UNSUPPORTED_OBJECT_TYPE'
  | 'MISSING_VALUE'
  | 'ALREADY_EXISTS'
  | 'INVALID_VALUE'
  | 'MISMATCH';
export type Precondition =
  | 'MEDIA_ALREADY_EXISTS'
  | 'MUST_NOT_BE_PRIMARY_MEDIA'
  | 'MUST_NOT_BE_PRIMARY_CATEGORY'
  | 'CLIP_MEDIA_INFO'
  | 'MEDIA_INFO_MUST_BE_ATTACHED_TO_TITLE'
  | 'CATEGORY_MUST_BE_EMPTY'
  | 'CATEGORY_MUST_NOT_BE_IN_THE_RECYCLE_BIN'
  | 'CATEGORY_MUST_NOT_BE_GLOSSARY_FOLDER'
  | 'CATEGORY_MUST_NOT_BE_RUNDOWN_FOLDER'
  | 'ASSETS_MUST_NOT_BE_LINKED_TO_CATEGORY'
  | 'ASSET_MUST_NOT_BE_USED_BY_OTHER_ASSETS'
  | 'MUST_MATCH_ANY_GROUP_CHANNEL'
  | 'INVALID_LOGIN'
  | 'DATA_FIELD_MUST_BE_WRITABLE'
  | 'DATA_FIELD_MUST_BE_MULTI_CARDINALITY'
  | 'DATA_FIELD_MUST_BE_TABLE'
  | 'USER_MUST_HAVE_CLIP_BIN_CATEGORY'
  | 'USER_MUST_NOT_BE_LOGGED'
  | 'CANNOT_REMOVE_USER_FROM_PUBLIC_GROUP'
  | 'MUST_BE_A_VIDEO_ASSET_TYPE'
  | 'MUST_BE_A_CG_ASSET_TYPE'
  | 'MUST_BE_A_SUBTITLES_ASSET_TYPE'
  | 'MUST_BE_AN_EXTENDED_ASSET_TYPE'
  | 'MUST_BE_AN_TRACK_STACK_ASSET_TYPE'
  | 'MUST_BE_A_STORY_ASSET_TYPE'
  | 'MUST_BE_A_GROUP_ASSET_TYPE'
  | 'MUST_BE_A_CATEGORY'
  | 'STUDIO_CHANNEL_MUST_ACCEPT_THE_TITLE_TYPE';

export interface ResourceSelector {
  type: SelectorType;
  value: string;
}

/** CATEGORY -> Category, USER_GROUP -> User Group, MISSING_VALUE -> Missing Value: how the doc's messages write them. */
export function titleCase(constant: string): string {
  return constant
    .toLowerCase()
    .split('_')
    .map((word) => (word === 'id' ? 'Id' : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

function describe(selector: ResourceSelector, resourceType: ResourceType): string {
  return `[${titleCase(selector.type)}: ${selector.value}, Type: ${titleCase(resourceType)}]`;
}

export const badCredentials = () => daletError('AuthenticationError', 'Bad credentials');

export const notAuthenticated = () => daletError('AuthenticationError', 'User not authenticated');

export function invalidInput(name: string, value: unknown, reason: InvalidInputReason, details: string) {
  const shown = value === undefined || value === null ? '' : String(value);
  return daletError(
    'InvalidInput',
    `Input name [${name}] with value [${shown}] is invalid with [${titleCase(reason)}] reason. Error details: ${details}`,
    {
      reason,
      name,
      value: value ?? null,
    },
  );
}

export function noAccessRights(userId: number, operationType: OperationType, resourceType: ResourceType, selector?: ResourceSelector) {
  return daletError(
    'NoAccessRightsException',
    `User with id [${userId}] does not have access rights to perform operation type [${titleCase(operationType)}] for resource type [${titleCase(resourceType)}]`,
    { resourceSelectorType: selector?.type ?? null, operationType, resourceSelector: selector?.value ?? null, userId, resourceType },
  );
}

export function resourceDoesNotExist(selector: ResourceSelector, resourceType: ResourceType) {
  return daletError('ResourceDoesNotExist', `Resource with ${describe(selector, resourceType)} does not exist`, {
    resourceSelectorType: selector.type,
    resourceSelector: selector.value,
    resourceType,
  });
}

export function preconditionViolation(selector: ResourceSelector, resourceType: ResourceType, precondition: Precondition) {
  return daletError(
    'ResourcePreconditionViolation',
    `Resource with ${describe(selector, resourceType)} does not satisfy the precondition [${titleCase(precondition)}]`,
    {
      resourceSelectorType: selector.type,
      resourceSelector: selector.value,
      precondition,
      resourceType,
    },
  );
}

export function unsupportedResource(selector: ResourceSelector, resourceType: ResourceType) {
  return daletError('UnsupportedResource', `Unsupported resource with ${describe(selector, resourceType)}`, {
    resourceSelectorType: selector.type,
    resourceSelector: selector.value,
    resourceType,
  });
}

export const byId = (id: number | string): ResourceSelector => ({ type: 'ID', value: String(id) });
