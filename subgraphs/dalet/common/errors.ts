/**
 * The errors of the doc's Errors section, each with the message and resource fields of its example. The
 * codes and classifications are the kit's catalog (core/errors.ts); this file only words them.
 */
import { daletError } from '../../../core/errors.ts';

export type ResourceType =
  | 'USER'
  | 'USER_GROUP'
  | 'CATEGORY'
  | 'ASSET'
  | 'DATA_FIELD'
  | 'TABLE_DATA_FIELD_ROW'
  | 'LOCATOR'
  | 'LOCATOR_TYPE'
  | 'GROUP_ITEM'
  | 'OBJECT_TYPE';
export type SelectorType = 'ID' | 'LOGIN' | 'NAME' | 'TYPE' | 'TAG_NAME';
export type OperationType = 'CREATE' | 'READ' | 'UPDATE' | 'DELETE';
export type InvalidInputReason =
  'NEGATIVE' | 'TOO_SHORT' | 'TOO_LONG' | 'FORBIDDEN_CHARACTERS' | 'MISSING_VALUE' | 'ALREADY_EXISTS' | 'INVALID_VALUE' | 'WRONG_FORMAT';
export type Precondition =
  | 'CATEGORY_MUST_BE_EMPTY'
  | 'USER_MUST_HAVE_CLIP_BIN_CATEGORY'
  | 'USER_MUST_NOT_BE_LOGGED'
  | 'CANNOT_REMOVE_USER_FROM_PUBLIC_GROUP'
  | 'DATA_FIELD_MUST_BE_WRITABLE'
  | 'DATA_FIELD_MUST_BE_MULTI_CARDINALITY'
  | 'DATA_FIELD_MUST_BE_TABLE';

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
