/**
 * The catalogue: every action this subgraph runs, and its categories. It is code, not data: an action is
 * its entry and the function that runs it, shipped together.
 */
import { documentActions } from './document-actions.ts';
import { imageActions } from './image-actions.ts';
import { textActions } from './text-actions.ts';
import type { ActionDefinition } from './types.ts';
import { utilityActions, type UtilityOptions } from './utility-actions.ts';
import { visionActions } from './vision-actions.ts';

export type { ActionDefinition, ActionTools } from './types.ts';

export interface ActionCategory {
  id: string;
  name: string;
  background_color: string;
  stroke_color: string;
}

export const CATEGORIES: readonly ActionCategory[] = Object.freeze([
  { id: 'image', name: 'Image', background_color: '#E8F1FF', stroke_color: '#2F6FDB' },
  { id: 'vision', name: 'Vision', background_color: '#F3E8FF', stroke_color: '#7A3FD1' },
  { id: 'text', name: 'Text', background_color: '#E8FFF1', stroke_color: '#1E9E5A' },
  { id: 'document', name: 'Document', background_color: '#FFF6E5', stroke_color: '#C7820A' },
  { id: 'utility', name: 'Utility', background_color: '#F0F0F0', stroke_color: '#555555' },
]);

export interface Catalogue {
  actions: readonly ActionDefinition[];
  byId: ReadonlyMap<string, ActionDefinition>;
  categories: readonly ActionCategory[];
}

export function createCatalogue(options: UtilityOptions): Catalogue {
  const actions = [...imageActions, ...visionActions, ...textActions, ...documentActions, ...utilityActions(options)];
  const byId = new Map(actions.map((action) => [action.id, action]));
  if (byId.size !== actions.length) throw new Error('two actions share an id');
  for (const action of actions) {
    if (!CATEGORIES.some((category) => category.id === action.category))
      throw new Error(`${action.id}: unknown category ${action.category}`);
  }
  return { actions: Object.freeze(actions), byId, categories: CATEGORIES };
}
