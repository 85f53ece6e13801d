/**
 * Full-text search over the catalogue with MiniSearch: names, descriptions, categories and trigger words,
 * prefix matches and typos tolerated (fuzzy within 20% of a term's length), name and trigger word weighed
 * most. Used by suggest_actions_for_prompt (ranked) and list_actions' search_keyword (filter).
 */
import MiniSearch from 'minisearch';
import type { ActionDefinition } from './catalogue/index.ts';

export interface ActionSearch {
  /** Ids of the matching actions, best first. */
  rank(text: string): string[];
}

export function createActionSearch(actions: readonly ActionDefinition[]): ActionSearch {
  const index = new MiniSearch<ActionDefinition>({
    fields: ['name', 'description', 'category', 'trigger_word', 'id'],
    storeFields: [],
    searchOptions: { boost: { name: 3, trigger_word: 3, category: 2 }, fuzzy: 0.2, prefix: true, combineWith: 'OR' },
    // Ids are kebab-case: "image-resize" is found by "resize" too.
    tokenize: (text) => text.split(/[\s\-_.,;:!?()"'/]+/).filter(Boolean),
  });
  index.addAll(actions.map((action) => ({ ...action })));
  return { rank: (text) => index.search(text).map((result) => String(result.id)) };
}
